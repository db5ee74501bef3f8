// Chaos: a real collector process takes concurrent leads and delivers them to a flaky webhook CRM
// while it is SIGKILLed again and again. In the end every acknowledged lead reached the CRM, and
// no lead made two deals. Sending the same lead twice over the wire can happen when the kill
// falls between the CRM's answer and our commit; the Idempotency-Key lets the CRM drop the repeat
// (as Stripe's and Svix's receivers do), so both raw receipts and distinct ids are counted.
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, expect, it } from 'vitest';
import { startFlakyWebhook, type FlakyWebhook } from '../../../fixtures/crm/flaky-webhook.ts';

const ADMIN_TOKEN = 'chaos-admin-token';
const SECRET = 'chaos-secret';
const KILLS = Number(process.env.CHAOS_KILLS ?? 5);
const CLIENTS = 6;

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = createServer();
    s.once('error', reject);
    s.listen(0, '127.0.0.1', () => {
      const { port } = s.address() as { port: number };
      s.close(() => resolve(port));
    });
  });
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

let child: ChildProcess | null = null;
let crm: FlakyWebhook | null = null;
let dataDir = '';

afterAll(async () => {
  child?.kill('SIGKILL');
  await crm?.close();
  if (dataDir) rmSync(dataDir, { recursive: true, force: true });
});

it('every acknowledged lead is delivered, none makes two deals, across repeated kill -9', async () => {
  crm = await startFlakyWebhook({ secret: SECRET, failRate: 0.2, lostAnswerShare: 0.3 });
  dataDir = mkdtempSync(join(tmpdir(), 'leadrelay-chaos-'));
  const port = await freePort();
  const base = `http://127.0.0.1:${port}`;

  const startCollector = async () => {
    const proc = spawn(process.execPath, ['--import', 'tsx', 'collector/src/server.ts'], {
      cwd: join(import.meta.dirname, '../../..'),
      env: {
        ...process.env,
        DATA_DIR: dataDir,
        PORT: String(port),
        HOST: '127.0.0.1',
        ADMIN_TOKEN,
        LOG_LEVEL: 'error',
        // A killed collector's claimed jobs come back after 2 s instead of a minute.
        DELIVERY_LEASE_MS: '2000',
      },
      stdio: ['ignore', 'ignore', 'inherit'],
    });
    child = proc;
    for (let i = 0; i < 200; i++) {
      if (proc.exitCode !== null) throw new Error(`the collector exited with ${proc.exitCode}`);
      const ok = await fetch(`${base}/healthz`).then((r) => r.ok, () => false);
      if (ok) return proc;
      await sleep(50);
    }
    throw new Error('the collector did not start within 10 s');
  };
  const admin = async (method: string, path: string, body?: unknown) => {
    const res = await fetch(`${base}/api/v1${path}`, {
      method,
      headers: { authorization: `Bearer ${ADMIN_TOKEN}`, 'content-type': 'application/json' },
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
    });
    if (!res.ok) throw new Error(`${method} ${path}: HTTP ${res.status} ${await res.text()}`);
    return (await res.json()) as Record<string, unknown>;
  };

  await startCollector();
  const project = await admin('POST', '/projects', { name: 'Chaos' });
  const projectId = String(project.id);
  await admin('PUT', `/projects/${projectId}/integration`, {
    type: 'webhook',
    enabled: true,
    settings: { url: crm.url, secret: SECRET },
    retry: { strategy: 'fixed', baseSeconds: 0.3, maxAttempts: 10_000 },
  });

  // Clients send leads the way the snippet does: a lead not acknowledged is sent again with the
  // same clientId until it is, so it is stored once.
  const acknowledged = new Map<string, string>(); // clientId → lead id
  let sending = true;
  let next = 0;
  const client = async () => {
    while (sending) {
      const n = next++;
      const clientId = `chaos-${String(n).padStart(6, '0')}`;
      for (;;) {
        const res = await fetch(`${base}/api/site/1.0/${projectId}/leads`, {
          method: 'POST',
          headers: { 'content-type': 'text/plain' },
          body: JSON.stringify({ clientId, name: `Chaos ${n}`, phone: `+1 555 ${String(1_000_000 + n).slice(1)}`, email: `c${n}@example.com` }),
        }).catch(() => null);
        if (res?.status === 202) {
          acknowledged.set(clientId, ((await res.json()) as { data: { id: string } }).data.id);
          break;
        }
        await res?.body?.cancel();
        await sleep(100);
      }
    }
  };
  const clients = Array.from({ length: CLIENTS }, client);

  // CHAOS_KILLS=0 runs the same traffic without kills: the baseline for repeats over the wire.
  for (let k = 0; k < Math.max(KILLS, 5); k++) {
    await sleep(1200 + Math.random() * 800);
    if (k >= KILLS) continue;
    child!.kill('SIGKILL');
    await new Promise((r) => child!.once('exit', r));
    await startCollector();
  }
  sending = false;
  await Promise.all(clients);

  const ids = new Set(acknowledged.values());
  const deadline = Date.now() + 60_000;
  while ([...ids].some((id) => !crm!.deals.has(id)) && Date.now() < deadline) await sleep(200);

  const receipts = crm.receipts.filter((r) => r.idempotencyKey && ids.has(r.idempotencyKey));
  const okByKey = new Map<string, number>();
  for (const r of receipts) if (r.status === 200) okByKey.set(r.idempotencyKey!, (okByKey.get(r.idempotencyKey!) ?? 0) + 1);
  const missing = [...ids].filter((id) => !crm!.deals.has(id));
  const answeredTwice = [...okByKey.values()].filter((c) => c > 1).length;
  // The CRM answers before the collector commits: give the last commits a moment.
  let leadsSent = await admin('GET', `/projects/${projectId}/leads?status=sent&limit=500`);
  while ((leadsSent.items as unknown[]).length < Math.min(ids.size, 500) && Date.now() < deadline + 10_000) {
    await sleep(200);
    leadsSent = await admin('GET', `/projects/${projectId}/leads?status=sent&limit=500`);
  }
  if ((leadsSent.items as unknown[]).length < Math.min(ids.size, 500)) {
    const all = (await admin('GET', `/projects/${projectId}/leads?limit=500`)).items as { id: string; status: string; lastError: string | null }[];
    console.log('not sent:', all.filter((l) => l.status !== 'sent'));
  }
  console.log(
    [
      `chaos: ${KILLS} kill -9, ${ids.size} leads acknowledged (${CLIENTS} concurrent clients)`,
      `  CRM raw receipts ${receipts.length} (${receipts.filter((r) => r.status === 200).length} answered 2xx), distinct lead ids ${new Set(receipts.map((r) => r.idempotencyKey)).size}, deals ${[...ids].filter((id) => crm!.deals.has(id)).length}`,
      `  leads answered 2xx more than once (kill between the CRM's answer and our commit, dropped by Idempotency-Key): ${answeredTwice}`,
      `  missing: ${missing.length}`,
    ].join('\n'),
  );

  expect(missing).toEqual([]);
  // The mock makes one deal per Idempotency-Key; every deal is for an acknowledged lead.
  expect(crm.dealOrder.filter((id) => ids.has(id))).toHaveLength(ids.size);
  expect(new Set(crm.dealOrder).size).toBe(crm.dealOrder.length);
  // The collector agrees: every lead is `sent`, with the deal id the CRM gave.
  const items = leadsSent.items as { id: string; crmId: string }[];
  if (ids.size <= 500) {
    expect(items).toHaveLength(ids.size);
    for (const l of items) expect(l.crmId).toBe(crm.deals.get(l.id));
  }
  // A repeat over the wire needs a kill inside an attempt: at most one per in-flight attempt per kill.
  expect(answeredTwice).toBeLessThanOrEqual(KILLS * 32);
  expect(ids.size).toBeGreaterThan(50);
}, 180_000);
