// `leadrelay/testing`: Playwright helpers for a site's own test suite (README "QA kit"). Open the page
// with `testModeUrl()`, so its leads are test leads (stored, never sent to the CRM), then wrap what sends
// the form in `expectLead()`, which resolves with the lead the collector stored.
//
//   await page.goto(testModeUrl('https://example.com/contacts'));
//   const lead = await expectLead(page, { form: 'Contact', values: { phone: '+7 900 123-45-67' } }, async () => {
//     await page.fill('[name=phone]', '+7 900 123-45-67');
//     await page.click('button[type=submit]');
//   });
import type { Page } from 'playwright-core';
import type { Lead } from '../shared/schemas.ts';
import { type AdminTarget, adminClient } from './admin-client.ts';
import { testModeUrl } from './check.ts';

export { testModeUrl };
export type { Lead };

export interface ExpectedLead {
  /** The form's id or title; any form when left out. */
  form?: string;
  /** Values the lead must have (phones compared by digits, emails case-insensitively). */
  values?: Partial<Pick<Lead, 'name' | 'phone' | 'email' | 'comment' | 'title'>> & { fields?: Record<string, string> };
  /** How long to wait for the lead (ms, default 10 000). */
  timeoutMs?: number;
  /** The collector; defaults: LEADRELAY_URL, LEADRELAY_TOKEN, LEADRELAY_PROJECT. */
  collector?: Partial<AdminTarget>;
}

function targetOf(given: Partial<AdminTarget> | undefined): AdminTarget {
  const target = {
    url: given?.url ?? process.env.LEADRELAY_URL ?? '',
    token: given?.token ?? process.env.LEADRELAY_TOKEN ?? '',
    project: given?.project ?? process.env.LEADRELAY_PROJECT ?? '',
  };
  const missing = Object.entries(target).filter(([, v]) => !v).map(([k]) => k);
  if (missing.length) throw new Error(`expectLead: no collector ${missing.join(', ')}: pass {collector: {url, token, project}} or set LEADRELAY_URL, LEADRELAY_TOKEN and LEADRELAY_PROJECT.`);
  return target;
}

const digits = (s: string) => s.replace(/\D/g, '');

function mismatches(lead: Lead, values: ExpectedLead['values']): string[] {
  const out: string[] = [];
  for (const [key, want] of Object.entries(values ?? {})) {
    if (key === 'fields') {
      for (const [k, v] of Object.entries(want as Record<string, string>)) if (String(lead.fields[k] ?? '') !== v) out.push(`fields.${k}`);
      continue;
    }
    const got = String(lead[key as keyof Lead] ?? '');
    const same = key === 'phone' ? digits(got) === digits(String(want)) : key === 'email' ? got.toLowerCase() === String(want).toLowerCase() : got === want;
    if (!same) out.push(key);
  }
  return out;
}

/** Runs `action` and resolves with the test lead it made; rejects, saying what did arrive, when none matches in time. */
export async function expectLead(page: Page, expected: ExpectedLead, action: () => Promise<void>): Promise<Lead> {
  const admin = adminClient(targetOf(expected.collector));
  let formId: string | undefined;
  if (expected.form !== undefined) {
    const form = (await admin.forms()).find((f) => f.id === expected.form || f.title === expected.form);
    if (!form) throw new Error(`expectLead: the project has no form "${expected.form}" (by id or title).`);
    formId = form.id;
  }
  const seen = new Set((await admin.testLeads()).map((l) => l.id));
  await action();
  const deadline = Date.now() + (expected.timeoutMs ?? 10_000);
  let fresh: Lead[] = [];
  while (Date.now() < deadline) {
    fresh = (await admin.testLeads()).filter((l) => !seen.has(l.id));
    const match = fresh.find((l) => (formId === undefined || l.formId === formId) && !mismatches(l, expected.values).length);
    if (match) return match;
    await new Promise((r) => setTimeout(r, 200));
  }
  const arrived = fresh.length
    ? `; test leads that did arrive: ${fresh.map((l) => `${l.id} (form ${l.formId ?? '-'}, differs in ${mismatches(l, expected.values).join(', ') || 'form'})`).join('; ')}`
    : `; no test lead arrived at all${page.url().includes('leadrelay_test=1') ? '' : ' (was the page opened with testModeUrl()?)'}`;
  throw new Error(`expectLead: no test lead${expected.form ? ` of form "${expected.form}"` : ''} with the expected values${arrived}.`);
}
