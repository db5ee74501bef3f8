// Users, roles and projects in the admin UI (README "Users and roles", "Projects"), in real Chromium:
// login by token and by email and password (English and Russian names), what each role sees and may
// change, the Team and Activity pages, logout, and the Project page's rename, new key and delete.
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Project } from '../shared/schemas.ts';
import { launchBrowser } from '../test-support/chromium.ts';
import { logIn } from '../test-support/admin-login.ts';
import { startAdminCollector, type AdminCollector } from '../test-support/collector.ts';

let collector: AdminCollector;
let browser: Browser;
let project: Project;
const FORM = { title: 'Contact', selector: '#contact', fields: { name: { source: 'field', value: 'name', required: false } } };

beforeAll(async () => {
  [collector, browser] = await Promise.all([startAdminCollector(), launchBrowser()]);
  project = await collector.api<Project>('POST', '/projects', { name: 'Team shop' });
  await collector.api('POST', `/projects/${project.id}/forms`, FORM);
  await collector.siteLead(project.id, { name: 'Ann', phone: '+7 999 000-11-22' });
  await collector.api('POST', '/users', { email: 'marketer@example.com', password: 'marketer pass', role: 'marketer' });
  await collector.api('POST', '/users', { email: 'viewer@example.com', password: 'viewer pass', role: 'viewer' });
});
afterAll(async () => {
  await browser?.close();
  await collector?.close();
});

/** Logs in by email and password through the login page. */
async function passwordLogin(page: Page, email: string, password: string): Promise<void> {
  await page.goto(`${collector.origin}/admin/`);
  await page.getByLabel('Email').fill(email);
  await page.getByLabel('Password').fill(password);
  await page.getByRole('button', { name: 'Log in' }).click();
  await page.getByRole('link', { name: 'Forms', exact: true }).waitFor();
}

const visible = (page: Page, role: 'button' | 'link', name: string) => page.getByRole(role, { name, exact: true }).isVisible();

describe('teams and projects in the admin UI', { timeout: 120_000 }, () => {
  it('the login page names its fields in English and Russian; a wrong password is refused with a message', async () => {
    const ru = await browser.newContext({ locale: 'ru-RU' });
    const ruPage = await ru.newPage();
    await ruPage.goto(`${collector.origin}/admin/`);
    for (const name of ['Email', 'Пароль', 'Токен администратора']) await ruPage.getByLabel(name, { exact: true }).waitFor();
    await ruPage.getByRole('button', { name: 'Войти' }).waitFor();
    // A wrong password is explained in Russian too, not in the server's English.
    await ruPage.getByLabel('Email', { exact: true }).fill('marketer@example.com');
    await ruPage.getByLabel('Пароль', { exact: true }).fill('wrong password');
    await ruPage.getByRole('button', { name: 'Войти' }).click();
    await expect.poll(() => ruPage.getByRole('alert').textContent()).toBe('Вход не выполнен: неверный email или пароль.');
    await ru.close();

    const page = await browser.newPage();
    await page.goto(`${collector.origin}/admin/`);
    await page.getByLabel('Email').fill('marketer@example.com');
    await page.getByLabel('Password').fill('wrong password');
    await page.getByRole('button', { name: 'Log in' }).click();
    await expect.poll(() => page.getByRole('alert').textContent()).toMatch(/email or the password is wrong/);
    await page.close();
  });

  it('an owner by token sees Team, Activity and Project; adds and deletes users on the Team page (never the last owner)', async () => {
    const page = await browser.newPage();
    page.on('dialog', (d) => void d.accept());
    await logIn(page, collector.origin, collector.token);
    for (const name of ['Team', 'Activity', 'Project', 'Forms', 'Leads', 'Integration', 'Install']) await page.getByRole('link', { name, exact: true }).waitFor();
    await page.getByRole('link', { name: 'Team', exact: true }).click();
    await page.getByRole('cell', { name: 'marketer@example.com', exact: true }).waitFor();
    await page.getByLabel('Email').fill('temp@example.com');
    await page.getByLabel('Password').fill('temporary pass');
    await page.getByLabel('Role').selectOption('owner');
    await page.getByRole('button', { name: 'Add user' }).click();
    await page.getByRole('cell', { name: 'temp@example.com', exact: true }).waitFor();
    expect((await collector.api<{ email: string; role: string }[]>('GET', '/users')).find((u) => u.email === 'temp@example.com')?.role).toBe('owner');
    // The only owner user cannot go: the page says why.
    await page.getByRole('button', { name: 'Delete temp@example.com' }).click();
    await expect.poll(() => page.getByRole('alert').textContent()).toMatch(/last owner/);
    await page.getByLabel('Email').fill('second@example.com');
    await page.getByLabel('Password').fill('second pass');
    await page.getByLabel('Role').selectOption('viewer');
    await page.getByRole('button', { name: 'Add user' }).click();
    await page.getByRole('button', { name: 'Delete second@example.com' }).click();
    await page.getByRole('cell', { name: 'second@example.com', exact: true }).waitFor({ state: 'detached' });
    expect((await collector.api<{ email: string }[]>('GET', '/users')).map((u) => u.email)).toEqual(['marketer@example.com', 'viewer@example.com', 'temp@example.com']);
    await page.close();
  });

  it('a marketer by password changes forms and may resend, but sees no Team, Activity, integration Save or project actions', async () => {
    const page = await browser.newPage();
    await passwordLogin(page, 'marketer@example.com', 'marketer pass');
    // The session is an httpOnly cookie: the page's script cannot read it, and nothing is in sessionStorage.
    expect(await page.evaluate(() => document.cookie)).toBe('');
    expect(await page.evaluate(() => Object.keys(sessionStorage).filter((k) => k.includes('Token')))).toEqual([]);
    expect(await visible(page, 'link', 'Team')).toBe(false);
    expect(await visible(page, 'link', 'Activity')).toBe(false);
    await page.getByRole('button', { name: 'Add form', exact: true }).click();
    await page.getByLabel('Title', { exact: true }).fill('From the marketer');
    await page.getByLabel('Selector', { exact: true }).fill('#marketer-form');
    await page.getByRole('button', { name: 'Save', exact: true }).click();
    await expect.poll(async () => (await collector.api<{ title: string }[]>('GET', `/projects/${project.id}/forms`)).map((f) => f.title)).toContain('From the marketer');

    await page.getByRole('link', { name: 'Leads', exact: true }).click();
    await page.getByRole('button', { name: 'Resend', exact: true }).first().waitFor();
    // The leads summary's "Resend all failed" and the row checkboxes are a marketer's too.
    await page.getByRole('button', { name: 'Resend all failed', exact: true }).waitFor();
    expect(await page.getByRole('checkbox').count()).toBeGreaterThan(0);
    await page.getByRole('link', { name: 'Integration', exact: true }).click();
    await page.getByRole('heading', { level: 1 }).waitFor();
    expect(await visible(page, 'button', 'Save')).toBe(false);
    await page.getByRole('link', { name: 'Project', exact: true }).click();
    await page.getByLabel('Project key', { exact: true }).waitFor();
    expect(await visible(page, 'button', 'New key')).toBe(false);
    expect(await visible(page, 'button', 'Delete project')).toBe(false);
    await page.close();
  });

  it('a viewer sees forms and leads but no control that changes them; logout ends the session on the server', async () => {
    const context = await browser.newContext();
    const page = await context.newPage();
    await passwordLogin(page, 'viewer@example.com', 'viewer pass');
    await page.getByRole('cell', { name: 'Contact', exact: true }).waitFor();
    expect(await visible(page, 'button', 'Add form')).toBe(false);
    expect(await visible(page, 'button', 'Delete')).toBe(false);
    expect(await visible(page, 'button', 'Copy')).toBe(false);
    await page.getByRole('link', { name: 'Edit', exact: true }).first().click();
    await page.getByLabel('Title', { exact: true }).waitFor();
    expect(await visible(page, 'button', 'Save')).toBe(false);
    await page.getByRole('link', { name: 'Leads', exact: true }).click();
    // In the table: the summary above it links its oldest undelivered lead by name too.
    await page.getByRole('table').getByRole('link', { name: 'Ann' }).waitFor();
    expect(await visible(page, 'button', 'Resend')).toBe(false);
    // The summary is there, without "Resend all failed"; no row to tick, no "Resend selected".
    await page.locator('.summary-figures').waitFor();
    expect(await visible(page, 'button', 'Resend all failed')).toBe(false);
    expect(await page.getByRole('button', { name: /^Resend selected/ }).count()).toBe(0);
    expect(await page.getByRole('checkbox').count()).toBe(0);

    const [cookie] = await context.cookies();
    expect(cookie).toMatchObject({ name: 'leadrelay_session', httpOnly: true, sameSite: 'Strict' });
    await page.getByRole('button', { name: 'Log out' }).click();
    await page.getByLabel('Admin token').waitFor();
    const after = await fetch(`${collector.origin}/api/v1/session`, { headers: { cookie: `${cookie!.name}=${cookie!.value}` } });
    expect(after.status).toBe(401);
    await page.reload();
    await page.getByLabel('Admin token').waitFor();
    await context.close();
  });

  it('the Project page renames, makes a new key (the old one stops working) and deletes after naming what goes', async () => {
    const doomed = await collector.api<Project>('POST', '/projects', { name: 'Old name' });
    await collector.api('POST', `/projects/${doomed.id}/forms`, FORM);
    await collector.siteLead(doomed.id, { name: 'Bob', phone: '+7 999 000-11-33' });
    await collector.siteLead(doomed.id, { name: 'Eve', phone: '+7 999 000-11-44' });
    const page = await browser.newPage();
    const dialogs: string[] = [];
    page.on('dialog', (d) => {
      dialogs.push(d.message());
      void d.accept();
    });
    await logIn(page, collector.origin, collector.token);
    await page.goto(`${collector.origin}/admin/p/${doomed.id}/project`);
    await page.getByLabel('Project name').fill('New name');
    await page.getByRole('button', { name: 'Rename' }).click();
    await page.getByRole('status').filter({ hasText: 'Renamed.' }).waitFor();
    expect((await collector.api<Project>('GET', `/projects/${doomed.id}`)).name).toBe('New name');
    await expect.poll(() => page.getByRole('option', { name: 'New name' }).count()).toBe(1);

    const keyBox = page.getByLabel('Project key', { exact: true });
    expect(await keyBox.inputValue()).toBe(doomed.key);
    await page.getByRole('button', { name: 'New key' }).click();
    await expect.poll(() => keyBox.inputValue()).not.toBe(doomed.key);
    const newKey = await keyBox.inputValue();
    const proxy = async (key: string) => (await (await fetch(`${collector.origin}/api/proxy/1.0/leads/add?key=${key}&name=Z`)).json()) as { status: string };
    expect((await proxy(doomed.key)).status).toBe('error');
    expect((await proxy(newKey)).status).toBe('success');

    await page.getByRole('button', { name: 'Delete project' }).click();
    await page.waitForURL((url) => !url.pathname.includes(doomed.id));
    expect(dialogs.at(-1)).toContain('“New name” with its 1 forms and 3 leads');
    expect((await collector.api<Project[]>('GET', '/projects')).map((p) => p.id)).not.toContain(doomed.id);
    await page.close();
  });

  it('the Activity page shows who changed what', async () => {
    const page = await browser.newPage();
    await logIn(page, collector.origin, collector.token);
    await page.getByRole('link', { name: 'Activity', exact: true }).click();
    const row = page.getByRole('row').filter({ hasText: 'marketer@example.com' }).filter({ hasText: 'Form added' });
    await row.first().waitFor();
    await page.getByRole('row').filter({ hasText: 'Project deleted' }).first().waitFor();
    await page.close();
  });
});
