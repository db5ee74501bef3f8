// The integration page shows a refused setting next to its own control (not only at the top), in
// real Chromium against a real collector: a URL without a scheme, and a stored secret that must be
// typed again because the URL it goes to changed. And the project's switch for JavaScript rules.
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Project } from '../shared/schemas.ts';
import { launchBrowser } from '../test-support/chromium.ts';
import { logIn } from '../test-support/admin-login.ts';
import { startAdminCollector, type AdminCollector } from '../test-support/collector.ts';
import { watchAdminPage } from './admin-helpers.ts';

let collector: AdminCollector;
let browser: Browser;
let project: Project;

beforeAll(async () => {
  [collector, browser] = await Promise.all([startAdminCollector(), launchBrowser()]);
  project = await collector.api<Project>('POST', '/projects', { name: 'Settings shop' });
  await collector.api('PUT', `/projects/${project.id}/integration`, { type: 'webhook', enabled: true, settings: { url: 'https://hooks.example.com/a', secret: 'first-secret' } });
});
afterAll(async () => {
  await browser?.close();
  await collector?.close();
});

describe('integration settings errors', { timeout: 60_000 }, () => {
  it('shows each refused setting next to its control, and saves once it is right', async () => {
    const page = await browser.newPage();
    const problems = watchAdminPage(page);
    await logIn(page, collector.origin, collector.token);
    await page.getByRole('link', { name: 'Integration', exact: true }).click();
    const url = page.getByLabel('Webhook URL');
    const secret = page.getByLabel('Signing secret');
    await url.waitFor();

    // A URL without a scheme: refused by the server, the message under the URL control.
    await url.fill('hooks.example.com/leads');
    await page.getByRole('button', { name: 'Save', exact: true }).click();
    const urlRow = page.locator('.row', { has: url });
    await expect.poll(() => urlRow.locator('.field-error').textContent()).toBe('Webhook URL: must be an absolute http(s) URL, e.g. https://example.com/');
    expect(await url.getAttribute('aria-invalid')).toBe('true');
    expect(await url.evaluate((el) => el.getAttribute('aria-describedby')?.split(' ').map((id) => document.getElementById(id)?.textContent).join(' '))).toContain(
      'must be an absolute http(s) URL',
    );
    expect(await page.getByRole('alert').first().textContent()).toMatch(/check the settings marked below/);

    // A new host while the stored secret is left as it is: the secret must be typed again.
    await url.fill('https://other.example/hook');
    await page.getByRole('button', { name: 'Save', exact: true }).click();
    const secretRow = page.locator('.row', { has: secret });
    await expect.poll(() => secretRow.locator('.field-error').textContent()).toBe(
      'Signing secret: enter it again: url changed, and a stored secret is never sent to a new address',
    );
    expect(await secret.getAttribute('aria-invalid')).toBe('true');
    expect(await urlRow.locator('.field-error').count()).toBe(0);
    expect((await collector.api<{ settings: Record<string, string> }>('GET', `/projects/${project.id}/integration`)).settings.url).toBe('https://hooks.example.com/a');

    await secret.fill('second-secret');
    await page.getByRole('button', { name: 'Save', exact: true }).click();
    await page.getByText('Saved.').waitFor();
    expect(await page.locator('.field-error').count()).toBe(0);
    expect((await collector.api<{ settings: Record<string, string> }>('GET', `/projects/${project.id}/integration`)).settings).toEqual({
      url: 'https://other.example/hook',
      secret: '********',
    });
    expect(problems).toEqual([]);
    await page.close();
  });
});

describe('JavaScript rules switch', { timeout: 60_000 }, () => {
  it('is on the Install page with the trust note, and the form editor says when rules are off', async () => {
    const page = await browser.newPage();
    const problems = watchAdminPage(page);
    await logIn(page, collector.origin, collector.token);
    await page.getByRole('link', { name: 'Install', exact: true }).click();
    const toggle = page.getByLabel('Allow JavaScript field rules');
    await toggle.waitFor();
    expect(await toggle.isChecked()).toBe(true);
    expect(await page.getByText('whoever can change forms here can run code on your site', { exact: false }).count()).toBe(1);
    await toggle.uncheck();
    await page.getByText('Saved: no JavaScript rule runs on your site.').waitFor();
    expect((await collector.api<{ jsRules: boolean }>('GET', `/projects/${project.id}`)).jsRules).toBe(false);

    await page.getByRole('link', { name: 'Forms', exact: true }).click();
    await page.getByRole('link', { name: 'Add form' }).or(page.getByRole('button', { name: 'Add form' })).first().click();
    await page.getByRole('note').filter({ hasText: 'JavaScript rules are switched off for this project' }).waitFor();

    await page.getByRole('link', { name: 'Install', exact: true }).click();
    await page.getByLabel('Allow JavaScript field rules').check();
    await page.getByText('Saved: JavaScript rules run on your site.').waitFor();
    await page.getByRole('link', { name: 'Forms', exact: true }).click();
    await page.getByRole('link', { name: 'Add form' }).or(page.getByRole('button', { name: 'Add form' })).first().click();
    await page.getByLabel('Title').waitFor();
    expect(await page.getByRole('note').filter({ hasText: 'JavaScript rules are switched off' }).count()).toBe(0);
    expect(problems).toEqual([]);
    await page.close();
  });
});
