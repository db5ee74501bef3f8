// IP truncation end to end over HTTP (docs/privacy.md "IP truncation"): with the project's truncateIp,
// a site lead, a proxy lead and a visit are stored with the cut address, the {ip} variable and the geo
// lookup see only the cut address, and the visit's fingerprint is made from it; without the setting the
// address is kept whole.
import { afterEach, beforeEach, expect, test } from 'vitest';
import type { App } from '../src/app.ts';
import { visitFingerprint } from '../src/store/rows.ts';
import { auth, newProject, siteLead, testApp } from './helpers.ts';

let t: App;
let project: { id: string; key: string };
const looked: string[] = [];
beforeEach(async () => {
  looked.length = 0;
  t = await testApp({
    rateLimit: { sitePerMinute: 0, proxyPerMinute: 0 },
    geo: {
      enabled: true,
      lookup: (ip) => {
        looked.push(ip);
        return { city: 'Kazan', region: '', country: '' };
      },
    },
  });
  project = await newProject(t.app);
});
afterEach(async () => {
  await t.app.close();
});

const text = { 'content-type': 'text/plain', 'user-agent': 'UA/1.0' };
const setTruncate = (on: boolean) => t.app.inject({ method: 'PUT', url: `/api/v1/projects/${project.id}`, headers: auth, payload: { truncateIp: on } });

async function visitFrom(remoteAddress: string, landingPage: string): Promise<number> {
  const res = await t.app.inject({ method: 'POST', url: `/api/site/1.0/${project.id}/visits`, headers: text, remoteAddress, payload: JSON.stringify({ landingPage }) });
  expect(res.statusCode).toBe(200);
  return res.json().visit;
}
async function siteLeadFrom(remoteAddress: string, visit?: number) {
  const body = siteLead({ fields: { address: '{ip}', city: '{city}' }, context: { page: 'https://shop.example/', ...(visit ? { visit } : {}) } });
  const res = await t.app.inject({ method: 'POST', url: `/api/site/1.0/${project.id}/leads`, headers: text, remoteAddress, payload: JSON.stringify(body) });
  expect(res.statusCode).toBe(202);
  return (await t.ctx.store.getLead(project.id, res.json().data.id))!;
}
async function proxyLeadFrom(remoteAddress: string, visit?: number) {
  const res = await t.app.inject({ url: `/api/proxy/1.0/leads/add?key=${project.key}&name=Ann&title={ip}${visit ? `&roistat=${visit}` : ''}`, remoteAddress });
  expect(res.json().status).toBe('success');
  return (await t.ctx.store.getLead(project.id, res.json().data.id))!;
}
const fingerprintOf = async (visit: number) =>
  (await t.ctx.store.db.get('SELECT fingerprint FROM visits WHERE project_id = ? AND number = ?', [project.id, visit]))!.fingerprint;

test('truncateIp: site lead, proxy lead, visit, {ip} and the fingerprint get /24 or /48; geo never sees the whole address', async () => {
  expect((await setTruncate(true)).json()).toMatchObject({ truncateIp: true });

  const visit = await visitFrom('203.0.113.77', 'https://shop.example/landing');
  expect((await t.ctx.store.getVisit(project.id, visit))?.ip).toBe('203.0.113.0');
  expect(await fingerprintOf(visit)).toBe(
    visitFingerprint({ landingPage: 'https://shop.example/landing', referrer: '', utm: {}, clickIds: {}, params: {}, firstVisit: null }, '203.0.113.0', 'UA/1.0'),
  );
  // The same browser from another address of the same /24 is the same visit (the fingerprint holds only the network).
  expect(await visitFrom('203.0.113.5', 'https://shop.example/landing')).toBe(visit);

  const site = await siteLeadFrom('203.0.113.77', visit);
  expect(site.ip).toBe('203.0.113.0');
  expect(site.fields).toEqual({ address: '203.0.113.0', city: 'Kazan' });

  const site6 = await siteLeadFrom('2001:db8:abcd:12::1');
  expect([site6.ip, site6.fields.address]).toEqual(['2001:db8:abcd::', '2001:db8:abcd::']);
  const mapped = await siteLeadFrom('::ffff:198.51.100.23');
  expect([mapped.ip, mapped.fields.address]).toEqual(['::ffff:198.51.100.0', '::ffff:198.51.100.0']);

  // A proxy lead comes from the site's server: the address is the visit's, or the request's.
  const viaVisit = await proxyLeadFrom('10.1.2.3', visit);
  expect([viaVisit.ip, viaVisit.title]).toEqual(['203.0.113.0', '203.0.113.0']);
  const direct = await proxyLeadFrom('2a00:1450:4001:82b::200e');
  expect([direct.ip, direct.title]).toEqual(['2a00:1450:4001::', '2a00:1450:4001::']);

  expect(looked.length).toBeGreaterThan(0);
  expect(looked.every((ip) => ['203.0.113.0', '2001:db8:abcd::', '::ffff:198.51.100.0', '2a00:1450:4001::'].includes(ip))).toBe(true);
});

test('a visit stored whole before truncateIp was switched on is cut when a proxy lead takes its address', async () => {
  const visit = await visitFrom('198.51.100.23', 'https://shop.example/');
  expect((await t.ctx.store.getVisit(project.id, visit))?.ip).toBe('198.51.100.23');
  const before = await proxyLeadFrom('10.0.0.1', visit);
  expect([before.ip, before.title]).toEqual(['198.51.100.23', '198.51.100.23']);
  const whole = await siteLeadFrom('192.0.2.45');
  expect([whole.ip, whole.fields.address]).toEqual(['192.0.2.45', '192.0.2.45']);

  await setTruncate(true);
  const after = await proxyLeadFrom('10.0.0.1', visit);
  expect([after.ip, after.title]).toEqual(['198.51.100.0', '198.51.100.0']);
});
