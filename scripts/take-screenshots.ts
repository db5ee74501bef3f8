// Renders the admin UI's main pages with sample data into docs/screenshots/*.png:
//   node --import tsx scripts/take-screenshots.ts
// A real collector and a mock CRM run on free ports; nothing here touches ./data.
import { mkdirSync, readFileSync } from 'node:fs';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Lead, Project } from '../shared/schemas.ts';
import type { FormConfig } from '../shared/form-config.ts';
import { startWebhookMock } from '../fixtures/crm/webhook-mock.ts';
import { launchBrowser } from '../test-support/chromium.ts';
import { logIn } from '../test-support/admin-login.ts';
import { startAdminCollector } from '../test-support/collector.ts';

const OUT = 'docs/screenshots';
mkdirSync(OUT, { recursive: true });

const collector = await startAdminCollector();
const crm = await startWebhookMock({ secret: 'demo-secret' });
const browser = await launchBrowser();
try {
  const project = await collector.api<Project>('POST', '/projects', { name: 'Flower shop' });
  const p = `/projects/${project.id}`;
  await collector.api('PUT', `${p}/integration`, { type: 'webhook', enabled: true, settings: { url: crm.url, secret: 'demo-secret' } });
  const contact = await collector.api<FormConfig>('POST', `${p}/forms`, {
    title: 'Request from the contact form ({utmSource})',
    trigger: 'submit',
    selector: '#contact-form',
    fields: {
      name: { source: 'field', value: 'your-name', required: false },
      phone: { source: 'field', value: 'tel', required: true },
      email: { source: 'field', value: 'email', required: false },
      comment: { source: 'field', value: 'message', required: false },
    },
    extraFields: [
      { key: 'utm_source', source: 'static', value: '{utmSource}', required: false },
      { key: 'city', source: 'static', value: '{city}', required: false },
    ],
  });
  await collector.api('POST', `${p}/forms`, {
    title: 'Call me back',
    trigger: 'click',
    selector: '.callback-button',
    callback: true,
    sites: ['flowers.example', 'promo.flowers.example'],
    fields: { phone: { source: 'js', value: "return document.querySelector('#cb-phone').value", required: true } },
  });
  await collector.api('POST', `${p}/forms`, {
    title: 'Newsletter signup',
    selector: 'form.newsletter',
    sendToCrm: false,
    sites: ['blog.flowers.example'],
    excludeSites: true,
    fields: { email: { source: 'field', value: 'email', required: true } },
  });

  const context = (page: string, source: string) => ({ page, landingPage: `${page}?utm_source=${source}`, utm: { source, medium: 'cpc', campaign: 'spring' } });
  await collector.siteLead(project.id, {
    formId: contact.id, title: 'Request from the contact form (google)', name: 'Anna Petrova', phone: '+7 916 555-12-34',
    email: 'anna@example.com', comment: 'Fifteen white roses for Friday, please.', fields: { utm_source: 'google', city: 'Moscow' },
    context: context('https://flowers.example/contact', 'google'),
  });
  await collector.siteLead(project.id, {
    formId: contact.id, title: 'Request from the contact form (yandex)', name: 'Ivan', phone: '+7 903 111-22-33',
    comment: 'Is delivery to Khimki possible?', fields: { utm_source: 'yandex' }, context: context('https://flowers.example/', 'yandex'),
  });
  await collector.siteLead(project.id, { title: 'Newsletter signup', email: 'reader@example.com', isSkipSending: true });
  await new Promise((r) => setTimeout(r, 1500));
  await collector.siteLead(project.id, {
    formId: contact.id, title: 'Request from the contact form (google)', name: 'Anna P.', phone: '+79165551234', context: context('https://flowers.example/contact', 'google'),
  });
  crm.failNext(503, 1000, { body: { message: 'CRM is under maintenance until 03:00' } });
  const failingId = await collector.siteLead(project.id, {
    formId: contact.id, title: 'Request from the contact form (facebook)', name: 'Maria Sokolova', phone: '+7 926 700-80-90',
    email: 'maria@example.com', comment: 'Wedding bouquet, budget around 8000.', fields: { utm_source: 'facebook', city: 'Tver' },
    context: context('https://flowers.example/wedding', 'facebook'),
  });
  for (let i = 0; i < 50; i++) {
    const lead = await collector.api<Lead>('GET', `${p}/leads/${failingId}`);
    if (lead.status === 'retrying') break;
    await new Promise((r) => setTimeout(r, 100));
  }

  // A test lead, and forms the snippet saw submitted that no form catches ("Not captured yet").
  await collector.siteLead(project.id, { title: 'Request from the contact form (test)', name: 'Test Visitor', phone: '+7 900 000-00-00', test: true });
  const missed = async (body: unknown) => {
    await fetch(`${collector.origin}/api/site/1.0/${project.id}/missed`, { method: 'POST', headers: { 'content-type': 'text/plain' }, body: JSON.stringify(body) });
  };
  await missed({ selector: 'form.wpcf7-form', page: 'https://flowers.example/delivery', fields: [{ name: 'your-name', type: 'text' }, { name: 'your-phone', type: 'tel' }, { name: 'your-message', type: 'textarea' }] });
  await missed({ selector: 'form.wpcf7-form', page: 'https://flowers.example/wedding', fields: [{ name: 'your-name', type: 'text' }, { name: 'your-phone', type: 'tel' }, { name: 'your-message', type: 'textarea' }] });
  await missed({ selector: '#subscribe-footer', page: 'https://flowers.example/', fields: [{ name: 'email', type: 'email' }] });

  const page = await browser.newPage({ viewport: { width: 1280, height: 800 } });
  await logIn(page, collector.origin, collector.token);
  const shot = async (name: string) => {
    await page.waitForLoadState('networkidle');
    await page.screenshot({ path: `${OUT}/${name}.png`, fullPage: true });
    console.log(`${OUT}/${name}.png`);
  };
  await page.getByRole('row', { name: /#contact-form/ }).waitFor();
  await shot('forms-list');
  const notCaptured = page.locator('section.missed-forms');
  await notCaptured.getByRole('row', { name: /wpcf7-form/ }).waitFor();
  await notCaptured.screenshot({ path: `${OUT}/missed-forms.png` });
  console.log(`${OUT}/missed-forms.png`);
  await page.getByRole('row', { name: /#contact-form/ }).getByRole('link', { name: 'Edit' }).click();
  await page.getByLabel('Title', { exact: true }).waitFor();
  await shot('form-editor');
  await page.getByRole('link', { name: 'Leads', exact: true }).click();
  await page.getByRole('link', { name: 'Maria Sokolova', exact: true }).waitFor();
  await shot('leads-list');
  await page.getByRole('link', { name: 'Maria Sokolova', exact: true }).click();
  await page.getByRole('heading', { name: 'Delivery attempts' }).waitFor();
  await shot('lead-page');
  await page.getByRole('link', { name: 'Integration', exact: true }).click();
  await page.getByLabel('Signing secret').waitFor();
  await shot('integration');
  await page.getByRole('link', { name: 'Install', exact: true }).click();
  await page.getByLabel('Script tag').waitFor();
  await shot('install');

  // The same pages in Russian (the EN / RU switch at the top).
  await page.getByRole('button', { name: 'RU', exact: true }).click();
  await page.getByRole('link', { name: 'Формы', exact: true }).click();
  await page.getByRole('row', { name: /#contact-form/ }).waitFor();
  await shot('forms-list.ru');
  await page.getByRole('link', { name: 'Заявки', exact: true }).click();
  await page.getByRole('link', { name: 'Maria Sokolova', exact: true }).waitFor();
  await shot('leads-list.ru');

  // The picker (?leadrelay_pick=1) on a Tilda-like page served from another origin, as on a real site.
  const html = readFileSync('fixtures/sites/see/index.html', 'utf8').replaceAll('{{COLLECTOR}}', collector.origin).replaceAll('{{PROJECT}}', project.id);
  const site = createServer((_req, res) => res.writeHead(200, { 'content-type': 'text/html; charset=utf-8' }).end(html));
  await new Promise<void>((r) => site.listen(0, '127.0.0.1', r));
  try {
    const visitor = await browser.newPage({ viewport: { width: 1280, height: 800 } });
    await visitor.goto(`http://localhost:${(site.address() as AddressInfo).port}/?leadrelay_pick=1`);
    await visitor.locator('.t-form').hover();
    await visitor.locator('.t-form input').first().click();
    await visitor.getByRole('dialog', { name: 'leadrelay picker' }).waitFor();
    await visitor.screenshot({ path: `${OUT}/picker.png` });
    console.log(`${OUT}/picker.png`);
  } finally {
    site.closeAllConnections();
    site.close();
  }
} finally {
  await browser.close();
  await crm.close();
  await collector.close();
}
