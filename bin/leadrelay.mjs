#!/usr/bin/env node
// The `leadrelay` command (README "QA kit"); its code is qa/cli.ts, compiled by `npm run build`.
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

const compiled = fileURLToPath(new URL('../dist/qa/cli.js', import.meta.url));
if (!existsSync(compiled)) {
  console.error('leadrelay: not built yet: run `npm run build` in the leadrelay package first.');
  process.exit(2);
}
const { main } = await import(compiled);
process.exitCode = await main(process.argv.slice(2), {
  env: process.env,
  out: (text) => console.log(text),
  err: (text) => console.error(text),
});
