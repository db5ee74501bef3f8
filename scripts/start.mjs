// `npm start`: builds when dist/ is missing or older than the sources (a fresh clone, an edit), then
// runs the compiled collector, dist/collector/server.js, in this process.
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { staleBuild } from './stale-build.mjs';

const root = fileURLToPath(new URL('..', import.meta.url));
const reason = staleBuild(root);
if (reason) {
  process.stdout.write(`building: ${reason}\n`);
  const built = spawnSync(process.execPath, ['build.mjs'], { cwd: root, stdio: 'inherit' });
  if (built.status !== 0) {
    process.stderr.write('leadrelay: the build failed (`npm run build` needs the dev dependencies: npm ci)\n');
    process.exit(built.status ?? 1);
  }
}
await import('../dist/collector/server.js');
