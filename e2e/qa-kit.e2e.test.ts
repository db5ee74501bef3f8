// The QA kit against a real collector and a fixture site in Chromium: `leadrelay check` (in process,
// and once through the real bin for its exit code) and `leadrelay/testing`'s expectLead.
import { execFile } from 'node:child_process';
import { afterAll, beforeAll, describe, expect, test, vi } from 'vitest';
import { main } from '../qa/cli.ts';
import { expectLead, testModeUrl } from '../qa/testing.ts';
import { launchBrowser } from '../test-support/chromium.ts';
import { type Collector, ensureBuilt, startCollector } from '../test-support/collector.ts';
import { type SiteServer, startSiteServer } from './harness.ts';

// Chromium runs on a shared machine: the check's own waits (--timeout) and the tests' are generous, never a pace.
vi.setConfig({ testTimeout: 180_000 });

let collector: Collector;
let site: SiteServer;
let projectId: string;
let env: Record<string, string>;
let contactId: string;

const field = (value: string, required = false) => ({ source: 'field' as const, value, required });

beforeAll(async () => {
  ensureBuilt();
  collector = await startCollector();
  projectId = (await collector.createProject('QA')).id;
  await collector.setIntegration(projectId, { type: 'webhook', enabled: true, settings: { url: 'http://127.0.0.1:9/never-called' } });
  contactId = (
    await collector.addForm(projectId, {
      title: 'Contact',
      trigger: 'submit',
      selector: '#contact',
      fields: { name: field('fio'), phone: field('tel', true), email: field('mail') },
    })
  ).id;
  await collector.addForm(projectId, { title: 'Call back', trigger: 'click', selector: '.callback-send', fields: { phone: field('cb_phone', true) } });
  site = await startSiteServer({ COLLECTOR: collector.url, PROJECT: projectId });
  env = { LEADRELAY_URL: collector.url, LEADRELAY_TOKEN: collector.adminToken, LEADRELAY_PROJECT: projectId };
});
afterAll(async () => {
  await site?.close();
  await collector?.close();
});

async function check(args: string[], overrides: Record<string, string> = {}) {
  const out: string[] = [];
  const err: string[] = [];
  const code = await main(['check', ...args, '--timeout', '60'], { env: { ...env, ...overrides }, out: (t) => out.push(t), err: (t) => err.push(t) });
  return { code, out: out.join('\n'), err: err.join('\n') };
}
const page = () => `${site.url}/qa-kit/`;

describe('leadrelay check', () => {
  test('the forms on the page match with every field: exit 0, a table by default, the JSON of the contract with --json', async () => {
    const table = await check([page()]);
    expect(table.code).toBe(0);
    expect(table.out).toMatch(/Contact\s+1\s+-/);
    expect(table.out).toMatch(/Call back\s+1\s+-/);
    const json = await check([page(), '--json']);
    expect(json.code).toBe(0);
    const report = JSON.parse(json.out) as { forms: { id: string; title: string; matched: number; missingFields: string[] }[] };
    expect(report.forms).toEqual(
      expect.arrayContaining([expect.objectContaining({ id: contactId, title: 'Contact', matched: 1, missingFields: [] })]),
    );
  });

  test('an expected form whose selector has a typo: exit 1 and it is named', async () => {
    const typo = await collector.addForm(projectId, { title: 'Order', trigger: 'submit', selector: '#ordr', fields: { phone: field('tel') } });
    try {
      const res = await check([page(), '--expect', 'Order', '--expect', contactId]);
      expect(res.code).toBe(1);
      expect(res.out).toContain('Order: expected, but its selector matches nothing on the page');
      const unknown = await check([page(), '--expect', 'No such form']);
      expect(unknown.code).toBe(1);
      expect(unknown.out).toContain('Expected form "No such form": the project has no form with that id or title.');
    } finally {
      await collector.admin('DELETE', `/projects/${projectId}/forms/${typo.id}`);
    }
  });

  test('a required field missing on the page: exit 1, the field named', async () => {
    const form = await collector.addForm(projectId, { title: 'Needs email', trigger: 'submit', selector: '#contact', fields: { email: field('e_mail', true) } });
    try {
      const res = await check([page(), '--json']);
      expect(res.code).toBe(1);
      const report = JSON.parse(res.out) as { forms: { id: string; missingFields: string[] }[] };
      expect(report.forms.find((f) => f.id === form.id)?.missingFields).toEqual(['email']);
    } finally {
      await collector.admin('DELETE', `/projects/${projectId}/forms/${form.id}`);
    }
  });

  test('--submit fills and sends each matched form; each test lead arrives and is never sent to the CRM', async () => {
    const res = await check([page(), '--submit', '--json']);
    expect(res.err).toBe('');
    expect(res.code).toBe(0);
    const report = JSON.parse(res.out) as { forms: { id: string; lead?: { id: string; status: string; email: string } }[] };
    const contact = report.forms.find((f) => f.id === contactId)!;
    expect(contact.lead).toMatchObject({ status: 'test', email: expect.stringMatching(/^leadrelay-check-\d{7}@example\.com$/) });
    const stored = await collector.admin<{ status: string; attemptCount: number }>('GET', `/projects/${projectId}/leads/${contact.lead!.id}`);
    expect(stored).toMatchObject({ status: 'test', attemptCount: 0 });
    expect(report.forms.every((f) => f.lead?.status === 'test')).toBe(true);
  });

  test('every way the check cannot run is exit 2 with a message saying which', async () => {
    const cases: [string[], Record<string, string>, RegExp][] = [
      [[page()], { LEADRELAY_URL: 'http://127.0.0.1:9' }, /No leadrelay collector answers at http:\/\/127\.0\.0\.1:9/],
      [[page()], { LEADRELAY_URL: site.url }, /is it a leadrelay collector\?/],
      [[page()], { LEADRELAY_TOKEN: 'wrong' }, /did not accept the admin token/],
      [[page()], { LEADRELAY_PROJECT: 'nope' }, /has no project "nope"/],
      [[`${site.url}/no-such-page/`], {}, /did not load \(HTTP 404\)/],
      [[page()], { CHROMIUM_PATH: '/nonexistent/chromium' }, /Chromium did not start from \/nonexistent\/chromium/],
      [['not a url'], {}, /is not a URL/],
      [[page()], { LEADRELAY_TOKEN: '' }, /Set LEADRELAY_TOKEN/],
    ];
    for (const [args, overrides, message] of cases) {
      const res = await check(args, overrides);
      expect({ code: res.code, err: res.err }).toEqual({ code: 2, err: expect.stringMatching(message) });
    }
  });

  test('the bin exits with the check\'s code', async () => {
    const run = (extra: Record<string, string>) =>
      new Promise<number>((resolve) => {
        execFile(process.execPath, ['bin/leadrelay.mjs', 'check', page(), '--timeout', '60'], { env: { ...process.env, ...env, ...extra } }, (error) =>
          resolve(error ? Number(error.code) : 0),
        );
      });
    expect(await run({})).toBe(0);
    expect(await run({ LEADRELAY_TOKEN: 'wrong' })).toBe(2);
  });
});

describe('leadrelay/testing', () => {
  test('expectLead resolves with the test lead the action made, and says what arrived when none matches', async () => {
    const browser = await launchBrowser();
    try {
      const tab = await browser.newPage();
      await tab.goto(testModeUrl(page()));
      const collectorTarget = { collector: { url: collector.url, token: collector.adminToken, project: projectId } };
      const lead = await expectLead(tab, { form: 'Call back', values: { phone: '+7 900 555-01-02' }, ...collectorTarget }, async () => {
        await tab.fill('[name=cb_phone]', '+7 900 555-01-02');
        await tab.click('.callback-send');
      });
      expect(lead).toMatchObject({ status: 'test', phone: '+7 900 555-01-02' });
      // The action itself waits until its lead is stored, so the miss is reported with it whatever the machine's pace.
      const stored = async () => (await collector.leads(projectId)).length;
      const before = await stored();
      await expect(
        expectLead(tab, { form: 'Call back', values: { phone: '+7 900 000-00-00' }, timeoutMs: 1000, ...collectorTarget }, async () => {
          await tab.fill('[name=cb_phone]', '+7 900 555-09-09');
          await tab.click('.callback-send');
          while ((await stored()) === before) await new Promise((r) => setTimeout(r, 100));
        }),
      ).rejects.toThrow(/test leads that did arrive: .*differs in phone/);
    } finally {
      await browser.close();
    }
  });
});
