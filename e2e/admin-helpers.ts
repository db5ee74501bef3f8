// Helpers for the admin UI browser tests: the page watch and a logged-in admin session. The collector and the login step are in
// test-support/ (the screenshot script uses them too); the CRM is fixtures/crm/webhook-mock.ts.
import type { Page } from 'playwright-core';
import type { Project } from '../shared/schemas.ts';
import { logIn } from '../test-support/admin-login.ts';
import { launchBrowser } from '../test-support/chromium.ts';
import { startAdminCollector } from '../test-support/collector.ts';

/** Problems the page must never have: script errors, CSP violations, dialogs (an XSS would open one). */
export function watchAdminPage(page: Page): string[] {
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

/** Chromium and a collector with one project, its admin page logged in and watched; `close` stops both. */
export async function openAdminSession(projectName: string) {
  const [browser, collector] = await Promise.all([launchBrowser(), startAdminCollector()]);
  const project = await collector.api<Project>('POST', '/projects', { name: projectName });
  const admin = await browser.newPage({ viewport: { width: 1280, height: 900 } });
  const problems = watchAdminPage(admin);
  await logIn(admin, collector.origin, collector.token);
  return {
    browser,
    collector,
    project,
    admin,
    problems,
    async close() {
      await browser.close();
      await collector.close();
    },
  };
}
