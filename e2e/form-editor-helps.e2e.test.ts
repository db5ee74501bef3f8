// The form editor helps, in Chromium: a form with no title is refused with the message beside Title (the focus
// staying on Save), the click trigger's help shows button selectors, and each listed site gets its pick and test
// mode links (a hostile entry none).
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, expect, test } from 'vitest';
import type { Project } from '../shared/schemas.ts';
import type { FormConfig } from '../shared/form-config.ts';
import type { AdminCollector } from '../test-support/collector.ts';
import { openAdminSession } from './admin-helpers.ts';

let session: Awaited<ReturnType<typeof openAdminSession>>;
let collector: AdminCollector;
let project: Project;
let admin: Page;
let problems: string[];

beforeAll(async () => {
  session = await openAdminSession('Editor helps');
  ({ collector, project, admin, problems } = session);
});

afterAll(async () => {
  await session?.close();
});

test('an untitled form is refused beside Title; sites get pick and test mode links; a titled form saves', async () => {
  await admin.goto(`${collector.origin}/admin/p/${project.id}/forms/new`);
  await admin.getByText('Add your site above').waitFor();
  await admin.getByLabel('Trigger', { exact: true }).selectOption('click');
  expect(await admin.locator('#form-trigger-hint').textContent()).toContain('.t-submit, button.send, #callback-button, [data-action="order"]');
  await admin.getByLabel('Selector', { exact: true }).fill('.t-submit');
  await admin.getByLabel('Title', { exact: true }).fill('   ');
  await admin.getByRole('button', { name: 'Save', exact: true }).click();
  const message = admin.locator('#form-title-error');
  await message.waitFor();
  expect(await message.textContent()).toMatch(/^Title: enter the deal's name in the CRM/);
  expect(await admin.getByLabel('Title', { exact: true }).getAttribute('aria-describedby')).toContain('form-title-error');
  expect(await admin.getByRole('alert').textContent()).toContain("Title: enter the deal's name");
  // The refusal appearing above the cards leaves the focus on Save (it once jumped to "Add field", so Enter added a field).
  expect(await admin.getByRole('button', { name: 'Save', exact: true }).evaluate((el) => el === document.activeElement)).toBe(true);
  expect(await collector.api<FormConfig[]>('GET', `/projects/${project.id}/forms`)).toEqual([]);

  await admin.getByLabel('Sites', { exact: true }).fill('Shop.example, javascript:alert(1)');
  const pick = admin.getByRole('link', { name: 'Open my site in pick mode' });
  const testMode = admin.getByRole('link', { name: 'Open my site in test mode' });
  await pick.waitFor();
  expect(await pick.count()).toBe(1);
  expect(await pick.getAttribute('href')).toBe('https://shop.example/?leadrelay_pick=1');
  expect(await testMode.getAttribute('href')).toBe('https://shop.example/?leadrelay_test=1');
  for (const link of [pick, testMode]) {
    expect(await link.getAttribute('target')).toBe('_blank');
    expect(await link.getAttribute('rel')).toBe('noopener');
  }
  // The hostile entry is shown as the text it is, and is no link.
  await admin.locator('#form-sites-links').getByText('javascript:alert(1)', { exact: true }).waitFor();
  expect(await admin.locator('#form-sites-links a').count()).toBe(2);

  await admin.getByLabel('Sites', { exact: true }).fill('shop.example');
  await admin.getByLabel('Title', { exact: true }).fill('Order');
  await admin.getByRole('button', { name: 'Save', exact: true }).click();
  await admin.getByRole('row', { name: /\.t-submit/ }).waitFor();
  expect((await collector.api<FormConfig[]>('GET', `/projects/${project.id}/forms`)).map((f) => f.title)).toEqual(['Order']);

  // Russian reads Russian.
  await admin.evaluate(() => localStorage.setItem('leadrelay_admin_language', 'ru'));
  await admin.goto(`${collector.origin}/admin/p/${project.id}/forms/new`);
  await admin.getByText('Добавьте свой сайт выше').waitFor();
  await admin.getByLabel('Сайты', { exact: true }).fill('shop.example');
  expect(await admin.getByRole('link', { name: 'Открыть сайт в режиме выбора' }).getAttribute('href')).toBe('https://shop.example/?leadrelay_pick=1');
  expect(await admin.getByRole('link', { name: 'Открыть сайт в тестовом режиме' }).getAttribute('href')).toBe('https://shop.example/?leadrelay_test=1');
  await admin.getByLabel('Селектор', { exact: true }).fill('#f');
  await admin.getByRole('button', { name: 'Сохранить', exact: true }).click();
  await admin.locator('#form-title-error').getByText('Название: введите название сделки').waitFor();
  await admin.evaluate(() => localStorage.removeItem('leadrelay_admin_language'));
  expect(problems).toEqual([]);
}, 60_000);
