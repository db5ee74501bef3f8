// Whether dist/ is older than the sources it is built from, so `npm start` rebuilds only then
// (a server that ran `npm prune --omit=dev` has no esbuild, and does not need it to start).
import { existsSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';

export const BUILD_INPUTS = ['build.mjs', 'collector/src', 'collector/admin-ui', 'shared', 'snippet'];
export const BUILD_OUTPUTS = ['dist/collector/server.js', 'dist/s.js', 'dist/admin/app.js'];

function newestMtime(path) {
  if (!existsSync(path)) return 0;
  const stat = statSync(path);
  if (!stat.isDirectory()) return stat.mtimeMs;
  return Math.max(0, ...readdirSync(path).map((name) => newestMtime(join(path, name))));
}

/** The reason to build under `root`, or null when every output exists and is newer than every input. */
export function staleBuild(root, inputs = BUILD_INPUTS, outputs = BUILD_OUTPUTS) {
  const missing = outputs.find((file) => !existsSync(join(root, file)));
  if (missing) return `${missing} is missing`;
  const built = Math.min(...outputs.map((file) => statSync(join(root, file)).mtimeMs));
  const changed = inputs.find((input) => newestMtime(join(root, input)) > built);
  return changed ? `${changed} changed since the last build` : null;
}
