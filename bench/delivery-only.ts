// The delivery throughput runs of bench/delivery.ts alone, for A/B comparisons without the whole
// bench: `node --import tsx bench/delivery-only.ts`. Each drain runs in a fresh process
// (bench/drain-child.ts) after its own warm-up, against one mock CRM child. DELIVERY_AB lists other
// checkouts (colon-separated roots, each with node_modules) whose drains are interleaved with this
// one's, round by round; the medians and their ratios are printed.
// DELIVERY_ROUNDS (default 5), DELIVERY_LEADS (default 2000).
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { startChild } from './child.ts';
import { MOCK_CRM_SERVER } from './delivery.ts';
import { median } from './stats.ts';

const here = fileURLToPath(new URL('..', import.meta.url));
const trees = [here, ...(process.env.DELIVERY_AB ?? '').split(':').filter(Boolean)];
const rounds = Number(process.env.DELIVERY_ROUNDS ?? 5);
const leads = Number(process.env.DELIVERY_LEADS ?? 2000);
const workDir = mkdtempSync(join(tmpdir(), 'lr-delivery-'));

function drainIn(tree: string, crmUrl: string): Promise<{ rate: number; cpuMsPerLead: number; drained: number; complete: boolean }> {
  return new Promise((resolveRun, reject) => {
    const child = spawn(process.execPath, ['--import', 'tsx', join(here, 'bench/drain-child.ts'), tree, crmUrl, String(leads), '60', workDir], {
      cwd: tree,
      stdio: ['ignore', 'pipe', 'inherit'],
    });
    let out = '';
    child.stdout.on('data', (c: Buffer) => {
      out += c.toString();
    });
    child.on('exit', (code) => {
      const line = out.split('\n').find((l) => l.startsWith('RESULT '));
      if (code !== 0 || !line) reject(new Error(`drain in ${tree} exited ${code}: ${out.slice(-500)}`));
      else resolveRun(JSON.parse(line.slice('RESULT '.length)));
    });
  });
}

const mock = await startChild<{ url: string }>(MOCK_CRM_SERVER);
try {
  const results = new Map<string, { rate: number; cpu: number }[]>(trees.map((t) => [t, []]));
  for (let i = 1; i <= rounds; i++) {
    // Alternate which tree goes first, so neither always runs on a machine the other just warmed.
    const order = i % 2 ? trees : [...trees].reverse();
    for (const tree of order) {
      const r = await drainIn(tree, mock.info.url);
      results.get(tree)!.push({ rate: r.rate, cpu: r.cpuMsPerLead });
      console.log(`round ${i} ${tree}: ${r.drained}/${leads}${r.complete ? '' : ' (capped)'} ${Math.round(r.rate)}/s, ${r.cpuMsPerLead.toFixed(3)} ms CPU per lead`);
    }
  }
  const base = results.get(here)!;
  for (const [tree, rs] of results) {
    const rate = median(rs.map((r) => r.rate));
    const cpu = median(rs.map((r) => r.cpu));
    const ratio = tree === here ? '' : ` (this checkout: ×${(median(base.map((r) => r.rate)) / rate).toFixed(2)} rate, ×${(median(base.map((r) => r.cpu)) / cpu).toFixed(2)} CPU)`;
    console.log(`median ${tree}: ${Math.round(rate)} leads/s, ${cpu.toFixed(3)} ms CPU per lead${ratio}`);
  }
} finally {
  await mock.stop();
  rmSync(workDir, { recursive: true, force: true });
}
