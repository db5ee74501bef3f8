// The store's share of a lead or a visit, this tree against another build, in one process: both
// SQLite stores (real files, WAL, synchronous=FULL) take batches of 32 concurrent writes in turn,
// and each is charged the process CPU time of its own batches. On a machine other work loads, CPU
// time per write moves far less than requests per second do (an A/A run gives 1.00).
//
//   BENCH_AB_OTHER=/tmp/leadrelay-base node --import tsx bench/store-ab.ts
//
// BENCH_AB_OTHER: the root of another checkout (required). BENCH_AB_ROUNDS (12),
// BENCH_AB_KIND (lead | visit), BENCH_AB_DIR (the SQLite files' directory, default: the temporary one).
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import type { NewLead, Store } from '../collector/src/store/types.ts';

const other = process.env.BENCH_AB_OTHER;
if (!other) throw new Error('BENCH_AB_OTHER (another checkout) is required');
const rounds = Number(process.env.BENCH_AB_ROUNDS ?? 12);
const kind = process.env.BENCH_AB_KIND === 'visit' ? 'visit' : 'lead';
const BATCH = 32;
const BATCHES_PER_TURN = 10;

type Open = (opts: { file: string }) => Store;
const workDir = mkdtempSync(join(process.env.BENCH_AB_DIR ?? tmpdir(), 'leadrelay-store-ab-'));

let n = 0;
/** A lead as leads/from-site.ts makes it, with a fresh clientId, phone and email each time. */
function newLead(projectId: string): NewLead {
  n += 1;
  const digits = String(n).padStart(9, '0');
  return {
    projectId,
    formId: null,
    clientId: `ab-${process.pid}-${n}`,
    source: 'form',
    visit: null,
    title: 'Request from the site',
    name: 'Ivan Petrov',
    phone: `+7 9${digits}`,
    email: `ivan${n}@example.com`,
    comment: 'Please call me after 6 pm',
    fields: { budget: '100000' },
    clientFields: {},
    orderCreationMethod: 'form',
    page: 'https://shop.example.com/contacts',
    referrer: 'https://www.google.com/',
    landingPage: 'https://shop.example.com/?utm_source=google',
    utm: { source: 'google', medium: 'cpc', campaign: '', term: '', content: '' },
    ip: '203.0.113.7',
    userAgent: 'Mozilla/5.0 (bench)',
    callback: false,
    callbackPhone: '',
    send: true,
    duplicateCheck: 'in_processing',
    appendDuplicateComment: false,
    extra: { context: { clickIds: {}, cookies: {}, params: {}, firstVisit: null } },
    phoneNorm: `79${digits}`,
    emailNorm: `ivan${n}@example.com`,
  };
}

async function variant(tag: string, root: string) {
  const mod = (await import(pathToFileURL(join(root, 'collector/src/store/sqlite.ts')).href)) as { openSqliteStore: Open };
  const store = mod.openSqliteStore({ file: join(workDir, `${tag}.sqlite`) });
  const project = await store.createProject('ab', Date.now());
  // An enabled integration, so each lead also queues its create job (as in the HTTP bench).
  await store.putIntegration(project.id, { type: 'webhook', enabled: true, settings: { url: 'http://127.0.0.1:9/', secret: 'bench-secret' } }, Date.now());
  const batch = () =>
    Promise.all(
      Array.from({ length: BATCH }, () => {
        if (kind === 'lead') return store.ingestLead(newLead(project.id), Date.now(), undefined);
        n += 1;
        const body = { landingPage: `https://shop.example.com/?n=${n}`, referrer: 'https://www.google.com/', utm: { source: 'google', medium: 'cpc' }, clickIds: {}, params: {}, firstVisit: null };
        return store.registerVisit(project.id, body, '203.0.113.7', 'Mozilla/5.0 (bench)', Date.now(), undefined);
      }),
    );
  return { tag, store, batch, cpuUs: [] as number[] };
}

try {
  const variants = [await variant('new', join(import.meta.dirname, '..')), await variant('old', other)];
  for (const v of variants) for (let i = 0; i < 20; i++) await v.batch();
  for (let round = 0; round < rounds; round++) {
    for (const v of round % 2 === 0 ? variants : [...variants].reverse()) {
      const before = process.cpuUsage();
      for (let i = 0; i < BATCHES_PER_TURN; i++) await v.batch();
      const used = process.cpuUsage(before);
      v.cpuUs.push((used.user + used.system) / (BATCH * BATCHES_PER_TURN));
    }
  }
  const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[xs.length >> 1]!;
  for (const v of variants) console.log(`${v.tag}: ${median(v.cpuUs).toFixed(1)} µs CPU per ${kind} (median of ${rounds} turns of ${BATCHES_PER_TURN}×${BATCH})`);
  const [a, b] = variants as [(typeof variants)[0], (typeof variants)[0]];
  console.log(`new/old CPU per ${kind}: ${(median(a.cpuUs) / median(b.cpuUs)).toFixed(2)} (medians); per round: ${a.cpuUs.map((x, i) => (x / b.cpuUs[i]!).toFixed(2)).join(', ')}`);
  for (const v of variants) await v.store.close();
} finally {
  rmSync(workDir, { recursive: true, force: true });
}
