// `leadrelay check`: opens a page of the site in test mode in Chromium, asks the snippet's inspector
// what it catches there, and with `submit` fills and sends each matched form and looks for the test lead
// through the admin API. README "QA kit" describes the command, its output and its exit codes.
import type { Browser, ElementHandle, Page } from 'playwright-core';
import type { Lead } from '../shared/schemas.ts';
import { type AdminClient, type AdminTarget, CannotRunError, adminClient } from './admin-client.ts';
import { fillTestValues, type FilledValues, triggerForm } from './fill.ts';

export interface CheckOptions {
  pageUrl: string;
  /** Form ids or titles that must match on the page. */
  expect: readonly string[];
  submit: boolean;
  target: AdminTarget;
  chromiumPath: string;
  /** How long to wait for the page, the snippet and each test lead (ms). */
  timeoutMs?: number;
}

/** What the snippet's `leadrelay.inspect()` reports (docs/http-api.md "Inspector"). */
export interface InspectReport {
  project: string;
  visit: number | null;
  forms: {
    id: string;
    title: string;
    trigger: 'submit' | 'click';
    selector: string;
    applies: boolean;
    matches: number;
    fields: { key: string; source: string; value: string; required: boolean; found: boolean; preview: string }[];
  }[];
}

export interface FormReport {
  id: string;
  title: string;
  /** How many elements on the page match the form's selector. */
  matched: number;
  /** Field rules whose control is not on the page. */
  missingFields: string[];
  /** The required ones among them (any makes the check fail). */
  missingRequired: string[];
  /** With submit: the test lead that arrived, or null when none did. */
  lead?: Pick<Lead, 'id' | 'status' | 'name' | 'phone' | 'email' | 'comment'> | null;
  /** Why this form fails the check, in words. */
  problems: string[];
}

export interface CheckReport {
  page: string;
  project: string;
  forms: FormReport[];
  /** Problems not tied to one form (nothing matched, an expected form missing…). */
  problems: string[];
  ok: boolean;
}

export function testModeUrl(pageUrl: string): string {
  const url = new URL(pageUrl);
  url.searchParams.set('leadrelay_test', '1');
  return url.toString();
}

async function launch(chromiumPath: string): Promise<Browser> {
  let chromium: typeof import('playwright-core').chromium;
  try {
    ({ chromium } = await import('playwright-core'));
  } catch {
    throw new CannotRunError('playwright-core is not installed: `npm install -D playwright-core` next to leadrelay.');
  }
  try {
    return await chromium.launch({ executablePath: chromiumPath, headless: true, args: ['--no-sandbox', '--disable-gpu', '--no-first-run'] });
  } catch (err) {
    throw new CannotRunError(
      `Chromium did not start from ${chromiumPath} (${String((err as Error).message).split('\n')[0]}). Install it (e.g. apt-get install chromium) or set CHROMIUM_PATH.`,
    );
  }
}

/** Opens the page in test mode and waits for the snippet's inspector report. */
async function openInspected(browser: Browser, pageUrl: string, timeoutMs: number): Promise<{ page: Page; report: InspectReport }> {
  const page = await (await browser.newContext()).newPage();
  try {
    const res = await page.goto(testModeUrl(pageUrl), { waitUntil: 'load', timeout: timeoutMs });
    if (res && res.status() >= 400) throw new Error(`HTTP ${res.status()}`);
  } catch (err) {
    throw new CannotRunError(`The page ${pageUrl} did not load (${String((err as Error).message).split('\n')[0]}).`);
  }
  try {
    await page.waitForFunction(() => typeof (window as { leadrelay?: { inspect?: unknown } }).leadrelay?.inspect === 'function', null, { timeout: timeoutMs });
  } catch {
    return { page, report: { project: '', visit: null, forms: [] } };
  }
  const report = (await page.evaluate(() => (window as unknown as { leadrelay: { inspect(): Promise<unknown> } }).leadrelay.inspect())) as InspectReport;
  return { page, report };
}

function judge(form: InspectReport['forms'][number]): FormReport {
  const missing = form.fields.filter((f) => !f.found);
  const report: FormReport = {
    id: form.id,
    title: form.title,
    matched: form.matches,
    missingFields: missing.map((f) => f.key),
    missingRequired: missing.filter((f) => f.required).map((f) => f.key),
    problems: [],
  };
  if (report.matched > 0 && report.missingRequired.length) {
    report.problems.push(`required field${report.missingRequired.length > 1 ? 's' : ''} not on the page: ${report.missingRequired.join(', ')}`);
  }
  return report;
}

export async function runCheck(opts: CheckOptions): Promise<CheckReport> {
  const timeoutMs = opts.timeoutMs ?? 15_000;
  const admin = adminClient(opts.target);
  await admin.project();
  const known = await admin.forms();
  const browser = await launch(opts.chromiumPath);
  try {
    const { page, report } = await openInspected(browser, opts.pageUrl, timeoutMs);
    await page.context().close();
    const problems: string[] = [];
    if (!report.project) problems.push(`The leadrelay snippet did not start on ${opts.pageUrl}: is the script tag on the page?`);
    else if (report.project !== opts.target.project) {
      problems.push(`The page's snippet belongs to project "${report.project}", not "${opts.target.project}".`);
    }
    const forms = report.forms.filter((f) => f.applies).map(judge);
    if (report.project && !forms.some((f) => f.matched > 0)) problems.push('No form of the project matches anything on this page.');
    for (const wanted of opts.expect) {
      const form = forms.find((f) => f.id === wanted || f.title === wanted);
      if (form && form.matched === 0) form.problems.push(`expected, but its selector matches nothing on the page`);
      if (!form) {
        const config = known.find((f) => f.id === wanted || f.title === wanted);
        problems.push(
          !config
            ? `Expected form "${wanted}": the project has no form with that id or title.`
            : !config.enabled
              ? `Expected form "${wanted}" is switched off.`
              : `Expected form "${wanted}" does not apply to this site (its site list).`,
        );
      }
    }
    if (opts.submit) {
      for (const form of forms.filter((f) => f.matched > 0 && !f.missingRequired.length)) {
        form.lead = await submitAndFind(browser, admin, opts.pageUrl, form, timeoutMs);
        if (!form.lead) form.problems.push(`no test lead arrived within ${Math.round(timeoutMs / 1000)} s of sending the form`);
      }
    }
    const ok = !problems.length && forms.every((f) => !f.problems.length);
    return { page: opts.pageUrl, project: opts.target.project, forms, problems, ok };
  } finally {
    await browser.close();
  }
}

/** Fills the form with test values on a fresh page, sends it, and waits for its test lead. */
async function submitAndFind(browser: Browser, admin: AdminClient, pageUrl: string, form: FormReport, timeoutMs: number) {
  const seen = new Set((await admin.testLeads()).map((l) => l.id));
  const { page, report } = await openInspected(browser, pageUrl, timeoutMs);
  try {
    const config = report.forms.find((f) => f.id === form.id);
    if (!config) return null;
    const target = (await page.$(config.selector)) as ElementHandle<Element> | null;
    if (!target) return null;
    const filled = await fillTestValues(page, target, config);
    await triggerForm(page, target, config.trigger);
    return await waitForLead(admin, seen, form.id, filled, timeoutMs);
  } finally {
    await page.context().close();
  }
}

async function waitForLead(admin: AdminClient, seen: Set<string>, formId: string, filled: FilledValues, timeoutMs: number) {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    const lead = (await admin.testLeads()).find((l) => !seen.has(l.id) && l.formId === formId && sameValues(l, filled));
    if (lead) return { id: lead.id, status: lead.status, name: lead.name, phone: lead.phone, email: lead.email, comment: lead.comment };
    await new Promise((r) => setTimeout(r, 250));
  }
  return null;
}

const digits = (s: string) => s.replace(/\D/g, '');

function sameValues(lead: Lead, filled: FilledValues): boolean {
  if (filled.name !== undefined && lead.name !== filled.name) return false;
  if (filled.email !== undefined && lead.email.toLowerCase() !== filled.email.toLowerCase()) return false;
  if (filled.phone !== undefined && digits(lead.phone) !== digits(filled.phone)) return false;
  if (filled.comment !== undefined && lead.comment !== filled.comment) return false;
  return true;
}
