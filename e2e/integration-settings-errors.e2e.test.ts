// The integration page shows a refused setting next to its own control (not only at the top), in
// real Chromium against a real collector: a URL without a scheme, and a stored secret that must be
// typed again because the URL it goes to changed.
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Project } from '../shared/schemas.ts';
import { launchChromium, logIn, startAdminCollector, watchPage, type AdminCollector } from './admin-helpers.ts';

let collector: AdminCollector;
let browser: Browser;
let project: Project;

beforeAll(async () => {
  [collector, browser] = await Promise.all([startAdminCollector(), launchChromium()]);
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
    const problems = watchPage(page);
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
