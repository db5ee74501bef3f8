// "Send when" in the admin form editor, in Chromium: a preset saved through the UI becomes the form's `confirm`,
// a stored one opens as its preset, a custom one that could never confirm is refused, and Russian reads Russian.
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
  session = await openAdminSession('Send when');
  ({ collector, project, admin, problems } = session);
});

afterAll(async () => {
  await session?.close();
});

const forms = () => collector.api<FormConfig[]>('GET', `/projects/${project.id}/forms`);
const editor = (formId: string | null) => `${collector.origin}/admin/p/${project.id}/forms/${formId ?? 'new'}`;

test('a Tilda form saved with "Send when: Tilda" waits for the success box; it opens again as Tilda', async () => {
  await admin.goto(editor(null));
  await admin.getByLabel('Trigger', { exact: true }).selectOption('click');
  await admin.getByLabel('Selector', { exact: true }).fill('.t-submit');
  await admin.getByLabel('Title', { exact: true }).fill('Order');
  await admin.getByLabel('Send when', { exact: true }).selectOption({ label: 'Tilda' });
  await admin.getByLabel('Wait up to (seconds)').fill('15');
  await admin.getByRole('button', { name: 'Save', exact: true }).click();
  await admin.getByRole('row', { name: /\.t-submit/ }).waitFor();
  const [form] = await forms();
  expect(form!.confirm).toEqual({ selector: '.t-form__successbox', seconds: 15 });

  await admin.goto(editor(form!.id));
  await expect.poll(() => admin.getByLabel('Send when', { exact: true }).inputValue()).toBe('tilda');
  await admin.getByText('when its success message (.t-form__successbox) becomes visible').waitFor();
  // "At once" again: null.
  await admin.getByLabel('Send when', { exact: true }).selectOption('now');
  await admin.getByRole('button', { name: 'Save', exact: true }).click();
  await admin.getByRole('row', { name: /\.t-submit/ }).waitFor();
  expect((await forms())[0]!.confirm).toBeNull();
  expect(problems).toEqual([]);
}, 60_000);

test('a custom condition with neither element nor event on a click form is refused in the editor', async () => {
  await admin.goto(editor(null));
  await admin.getByLabel('Trigger', { exact: true }).selectOption('click');
  await admin.getByLabel('Selector', { exact: true }).fill('.buy');
  await admin.getByLabel('Title', { exact: true }).fill('Order');
  await admin.getByLabel('Send when', { exact: true }).selectOption('custom');
  await admin.getByRole('button', { name: 'Save', exact: true }).click();
  await admin.getByRole('alert').getByText('Send when: give an element or an event').waitFor();
  await admin.getByLabel('Event', { exact: true }).fill('order:sent');
  await admin.getByRole('button', { name: 'Save', exact: true }).click();
  await admin.getByRole('row', { name: /\.buy/ }).waitFor();
  expect((await forms()).find((f) => f.selector === '.buy')!.confirm).toEqual({ event: 'order:sent', seconds: 10 });
  expect(problems).toEqual([]);
}, 60_000);

test('in Russian the section and its presets read Russian', async () => {
  await admin.evaluate(() => localStorage.setItem('leadrelay_admin_language', 'ru'));
  await admin.goto(editor(null));
  const select = admin.getByLabel('Когда отправлять', { exact: true });
  await select.waitFor();
  expect(await select.locator('option').allTextContents()).toEqual(['Сразу', 'Tilda', 'Contact Form 7', 'Веб-форма Битрикс24', 'Своё условие']);
  await admin.evaluate(() => localStorage.removeItem('leadrelay_admin_language'));
  expect(problems).toEqual([]);
}, 60_000);
