// One delivery drain in a process of its own, for bench/delivery-only.ts: imports `drainBacklog` from
// the bench/delivery.ts of the tree given (this checkout, or another commit's export for an A/B),
// drains an uncounted warm-up backlog, then the measured one, and prints the result as one JSON line.
// Usage: node --import tsx bench/drain-child.ts <tree> <crmUrl> <leads> <capSec> <workDir>
import { join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';

const [tree = '.', crmUrl = '', leads = '2000', capSec = '30', workDir = '.'] = process.argv.slice(2);
type Drain = (o: { file: string; crmUrl: string; leads: number; capSec: number; rateLimited: boolean }) => Promise<Record<string, unknown>>;
const { drainBacklog } = (await import(pathToFileURL(resolve(tree, 'bench/delivery.ts')).href)) as { drainBacklog: Drain };
const tag = `${process.pid}`;
await drainBacklog({ file: join(workDir, `warm-${tag}.sqlite`), crmUrl, leads: 500, capSec: 10, rateLimited: false });
const r = await drainBacklog({ file: join(workDir, `run-${tag}.sqlite`), crmUrl, leads: Number(leads), capSec: Number(capSec), rateLimited: false });
process.stdout.write(`RESULT ${JSON.stringify(r)}\n`);
