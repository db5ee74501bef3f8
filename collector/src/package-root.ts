// The directory that holds package.json, migrations/, the demo site and dist/: found by walking up
// from this module, so the same lookup works from the TypeScript sources (collector/src/…) and from
// the compiled bundle (dist/collector/server.js), whatever the working directory is.
import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

export function findPackageRoot(from: string): string {
  for (let dir = from; ; dir = dirname(dir)) {
    if (existsSync(join(dir, 'package.json')) && existsSync(join(dir, 'collector/migrations'))) return dir;
    if (dirname(dir) === dir) throw new Error(`leadrelay: no package root (package.json beside collector/migrations) above ${from}`);
  }
}

export const packageRoot = findPackageRoot(dirname(fileURLToPath(import.meta.url)));
