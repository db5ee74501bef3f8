// What freshness costs per page view (docs/http-api.md "Site API", config): one visitor's fixed sequence of
// page views, priced in config requests and response bytes, with today's 60 s cache (then an ETag
// revalidation, 304 when unchanged) beside the old 300 s cache, in the same run. Run alone with
// `node --import tsx bench/config-freshness.ts` (it rewrites its own section of BENCHMARKS.md) or as a
// section of `npm run bench`.
import { readFileSync, writeFileSync } from 'node:fs';
import pino from 'pino';
import { buildApp } from '../collector/src/app.ts';
import { configVisitor } from '../test-support/config-visitor.ts';
import { targetStatus, type Section } from './report.ts';

const TOKEN = 'bench-admin-token-0123456789';
export const SECTION_TITLE = 'Config freshness';

/**
 * Gaps in seconds between one visitor's page views (reading, browsing, coming back), with one admin
 * change of a form 1 s after the 13th view: 40 views in 42 minutes.
 */
export const GAPS_S = [5, 12, 8, 30, 45, 20, 70, 15, 10, 90, 25, 40, 6, 120, 35, 18, 60, 9, 240, 14, 22, 50, 31, 65, 8, 300, 17, 44, 11, 75, 27, 13, 180, 19, 55, 7, 33, 95, 21, 600];

interface Policy {
  name: string;
  requests: number;
  bytes: number;
  views: number;
  /** Page views after the admin change that still used the old config, and the oldest such change (s). */
  staleViews: number;
  staleS: number;
}

async function run(maxAgeS: number | undefined, name: string): Promise<Policy> {
  const { app } = await buildApp({ adminToken: TOKEN, logger: pino({ level: 'silent' }), worker: false });
  await app.ready();
  try {
    const auth = { authorization: `Bearer ${TOKEN}` };
    const projectId = (await app.inject({ method: 'POST', url: '/api/v1/projects', headers: auth, payload: { name: 'bench' } })).json().id;
    const form = { title: 'Contact', selector: '#contact', fields: { phone: { source: 'field', value: 'phone', required: true } } };
    const formId = (await app.inject({ method: 'POST', url: `/api/v1/projects/${projectId}/forms`, headers: auth, payload: form })).json().id;
    await app.inject({ method: 'POST', url: `/api/v1/projects/${projectId}/forms`, headers: auth, payload: { ...form, title: 'Footer', selector: '.footer form' } });
    const visitor = configVisitor(app, projectId, maxAgeS);
    let at = 0;
    let changedAt = -1;
    let staleS = 0;
    let staleViews = 0;
    for (const [i, gap] of GAPS_S.entries()) {
      const config = await visitor.view(at);
      if (changedAt >= 0 && config?.forms[0]?.selector !== '#contact-new') {
        staleViews++;
        staleS = (at - changedAt) / 1000;
      }
      if (i === 12) {
        changedAt = at + 1000;
        await app.inject({ method: 'PUT', url: `/api/v1/projects/${projectId}/forms/${formId}`, headers: auth, payload: { ...form, selector: '#contact-new' } });
      }
      at += gap * 1000;
    }
    return { name, requests: visitor.requests, bytes: visitor.bytes, views: GAPS_S.length, staleViews, staleS };
  } finally {
    await app.close();
  }
}

export async function benchConfigFreshness(): Promise<Section> {
  const now = await run(undefined, '60 s cache, then ETag revalidation (now)');
  const old = await run(300, '300 s cache (before)');
  const per = (p: Policy, n: number) => (n / p.views).toFixed(2);
  const ratio = now.bytes / old.bytes;
  return {
    title: SECTION_TITLE,
    body: [
      `One visitor's ${now.views} page views over ${Math.round(GAPS_S.reduce((a, b) => a + b, 0) / 60)} minutes (fixed gaps in \`bench/config-freshness.ts\`), a form's selector changed in the admin 1 s after the 13th; the snippet's own \`loadConfig\` against \`buildApp()\` with a browser-like ETag cache (\`test-support/config-visitor.ts\`). Bytes are whole responses (status line, headers, body).`,
      '',
      '| policy | config requests | per page view | bytes | per page view | views with the old form after the change | the change\'s age at the last of them |',
      '| --- | --- | --- | --- | --- | --- | --- |',
      ...[now, old].map((p) => `| ${p.name} | ${p.requests} | ${per(p, p.requests)} | ${p.bytes} | ${per(p, p.bytes)} | ${p.staleViews} | ${p.staleS} s |`),
      '',
      `Freshness costs ${(now.requests / old.requests).toFixed(2)}× the requests and ${ratio.toFixed(2)}× the bytes of the old 300 s cache: most revalidations are 304s without a body.`,
    ],
    targets: [{ name: 'Config change reaches the next page view', target: '≤ 60 s', figure: `stale up to ${now.staleS} s (was ${old.staleS} s)`, status: targetStatus(now.staleS < 60) }],
  };
}

/** Replaces (or appends) this section in BENCHMARKS.md, leaving the rest of the last full run as it was. */
function writeSection(section: Section, file = 'BENCHMARKS.md'): void {
  const text = readFileSync(file, 'utf8');
  const block = [`## ${section.title}`, '', ...section.body, ''].join('\n');
  const re = new RegExp(`## ${section.title}\\n[\\s\\S]*?(?=\\n## |$)`);
  writeFileSync(file, re.test(text) ? text.replace(re, `${block}`) : `${text.trimEnd()}\n\n${block}`);
}

if (process.argv[1] && import.meta.filename === process.argv[1]) {
  const section = await benchConfigFreshness();
  console.log(section.body.join('\n'));
  writeSection(section);
}
