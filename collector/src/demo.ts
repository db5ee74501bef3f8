// The demo of `npm start`: a project with a contact form, a demo site at /demo/ with the snippet
// installed, and a built-in mock CRM (a signed webhook receiver) that shows what it received.
import { createHmac, timingSafeEqual } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { FastifyInstance } from 'fastify';
import { secretToken } from '../../shared/ids.ts';
import { packageRoot } from './package-root.ts';
import type { AppContext } from './context.ts';

const DEMO_DIR = join(packageRoot, 'collector/demo');
export const DEMO_PROJECT_NAME = 'Demo site';
/**
 * The mock CRM's page is public (a newcomer opens it without a token), so it shows only the latest
 * deals of the last hour; it remembers a bounded number of idempotency keys.
 */
export const DEMO_CRM_LIMITS = { deals: 50, keepMs: 60 * 60 * 1000, idempotencyKeys: 1000 };

interface Received {
  at: string;
  atMs: number;
  leadId: string;
  title: string;
  name: string;
  phone: string;
  email: string;
  comment: string;
  page: string;
  crmId: string;
}

export function escapeHtml(s: string): string {
  return s.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}

/** Creates the demo project, its form and its webhook integration on the first start. */
export async function ensureDemoProject(ctx: AppContext, publicUrl: string): Promise<{ projectId: string }> {
  const existing = (await ctx.store.listProjects()).find((p) => p.name === DEMO_PROJECT_NAME);
  if (existing) return { projectId: existing.id };
  if ((await ctx.store.listProjects()).length > 0) return { projectId: '' };
  const now = ctx.now();
  const project = await ctx.store.createProject(DEMO_PROJECT_NAME, now);
  await ctx.store.createForm(
    project.id,
    {
      title: 'Request from the contact form ({domain})',
      trigger: 'submit',
      selector: '#contact-form',
      sendToCrm: true,
      fields: {
        name: { source: 'field', value: 'your-name', required: false },
        phone: { source: 'field', value: 'tel', required: true },
        email: { source: 'field', value: 'email', required: false },
        comment: { source: 'field', value: 'message', required: false },
      },
      extraFields: [{ key: 'utm_source', source: 'static', value: '{utmSource}', required: false }],
    },
    now,
  );
  await ctx.store.putIntegration(
    project.id,
    { type: 'webhook', enabled: true, settings: { url: `${publicUrl}/demo/crm/webhook`, secret: secretToken(18) } },
    now,
  );
  return { projectId: project.id };
}

export function demoRoutes(ctx: AppContext) {
  // Newest first.
  let received: Received[] = [];
  const seen = new Map<string, string>();
  let deals = 0;

  function recent(): Received[] {
    const since = ctx.now() - DEMO_CRM_LIMITS.keepMs;
    received = received.filter((r) => r.atMs > since).slice(0, DEMO_CRM_LIMITS.deals);
    return received;
  }
  const page = readFileSync(join(DEMO_DIR, 'index.html'), 'utf8');
  const css = readFileSync(join(DEMO_DIR, 'demo.css'), 'utf8');

  async function demoProject() {
    return (await ctx.store.listProjects()).find((p) => p.name === DEMO_PROJECT_NAME) ?? null;
  }

  return async (app: FastifyInstance) => {
    // The demo site's own form posts urlencoded data to /demo/thanks, like an old PHP site.
    app.addContentTypeParser('application/x-www-form-urlencoded', { parseAs: 'string' }, (_req, body, done) => done(null, body));
    app.get('/demo', async (_req, reply) => reply.redirect('/demo/'));
    app.get('/demo/', async (req, reply) => {
      const project = await demoProject();
      const origin = `${req.protocol}://${req.host}`;
      const html = page
        .replace('{{ORIGIN}}', escapeHtml(origin))
        .replace('{{PROJECT_ID}}', escapeHtml(project?.id ?? ''));
      return reply.type('text/html; charset=utf-8').send(html);
    });
    app.get('/demo/demo.css', async (_req, reply) => reply.type('text/css').send(css));
    app.post('/demo/thanks', async (_req, reply) =>
      reply
        .type('text/html; charset=utf-8')
        .send(`<!doctype html><meta charset="utf-8"><link rel="stylesheet" href="/demo/demo.css"><main><h1>Thank you!</h1>
<p>The site got your request. leadrelay caught a copy on the way and is delivering it to the CRM.</p>
<p><a href="/demo/crm/">See what the CRM received →</a> · <a href="/demo/">Back</a></p></main>`),
    );

    // The built-in mock CRM: checks the signature like a real receiver, dedupes by Idempotency-Key.
    app.post('/demo/crm/webhook', async (req, reply) => {
      const project = await demoProject();
      const secret = project ? (await ctx.store.getIntegration(project.id))?.settings.secret : undefined;
      const raw = JSON.stringify(req.body);
      const expected = `sha256=${createHmac('sha256', secret ?? '').update(raw).digest('hex')}`;
      const given = String(req.headers['x-leadrelay-signature'] ?? '');
      if (!secret || given.length !== expected.length || !timingSafeEqual(Buffer.from(given), Buffer.from(expected))) {
        return reply.code(401).send({ message: 'bad signature' });
      }
      const key = String(req.headers['idempotency-key'] ?? '');
      const lead = req.body as Partial<Record<keyof Received | 'id' | 'type', string>>;
      if (lead.type === 'test' || lead.type === 'note') return { ok: true };
      const known = seen.get(key);
      if (known) return { id: known };
      const crmId = `DEMO-${++deals}`;
      seen.set(key, crmId);
      // A Map keeps insertion order: the first key is the oldest.
      if (seen.size > DEMO_CRM_LIMITS.idempotencyKeys) seen.delete(seen.keys().next().value!);
      const atMs = ctx.now();
      received.unshift({
        at: new Date(atMs).toISOString(),
        atMs,
        leadId: String(lead.id ?? ''),
        title: String(lead.title ?? ''),
        name: String(lead.name ?? ''),
        phone: String(lead.phone ?? ''),
        email: String(lead.email ?? ''),
        comment: String(lead.comment ?? ''),
        page: String(lead.page ?? ''),
        crmId,
      });
      recent();
      return { id: crmId };
    });
    app.get('/demo/crm/', async (_req, reply) => {
      const shown = recent();
      const rows = shown
        .map(
          (r) =>
            `<tr><td>${escapeHtml(r.crmId)}</td><td>${escapeHtml(r.at)}</td><td>${escapeHtml(r.title)}</td><td>${escapeHtml(r.name)}</td><td>${escapeHtml(r.phone)}</td><td>${escapeHtml(r.email)}</td><td>${escapeHtml(r.comment)}</td></tr>`,
        )
        .join('');
      return reply.type('text/html; charset=utf-8').send(`<!doctype html><meta charset="utf-8"><meta http-equiv="refresh" content="3">
<link rel="stylesheet" href="/demo/demo.css"><main><h1>Mock CRM: deals received</h1>
<p>${shown.length} deal(s): the last ${DEMO_CRM_LIMITS.deals} of the last hour. This page refreshes every 3 seconds. <a href="/demo/">Back to the demo site</a></p>
<table><thead><tr><th>Deal</th><th>At</th><th>Title</th><th>Name</th><th>Phone</th><th>Email</th><th>Comment</th></tr></thead>
<tbody>${rows || '<tr><td colspan="7">Nothing yet: submit the form on the demo site.</td></tr>'}</tbody></table></main>`);
    });
    app.get('/demo/crm/received.json', async () => ({ items: recent().map(({ atMs: _atMs, ...r }) => r) }));
  };
}
