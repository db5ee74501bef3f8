// Helpers for the admin UI browser tests: the page watch. The collector and the login step are in
// test-support/ (the screenshot script uses them too); the CRM is fixtures/crm/webhook-mock.ts.
import type { Page } from 'playwright-core';

/** Problems the page must never have: script errors, CSP violations, dialogs (an XSS would open one). */
export function watchPage(page: Page): string[] {
  const problems: string[] = [];
  page.on('pageerror', (e) => problems.push(`pageerror: ${e.message}`));
  page.on('dialog', (d) => {
    problems.push(`dialog: ${d.type()} ${d.message()}`);
    void d.dismiss();
  });
  page.on('console', (m) => {
    if (/Content Security Policy/i.test(m.text())) problems.push(`csp: ${m.text()}`);
  });
  return problems;
}
