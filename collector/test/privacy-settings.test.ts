// A project's privacy settings (README "Privacy"): kept by PUT /api/v1/projects/:projectId with
// defaults, checked, and `cookies: false` served to the snippet in the site config.
import { afterEach, beforeEach, expect, test } from 'vitest';
import type { App } from '../src/app.ts';
import { auth, newProject, testApp } from './helpers.ts';

let t: App;
let projectId: string;
beforeEach(async () => {
  t = await testApp();
  projectId = (await newProject(t.app)).id;
});
afterEach(async () => {
  await t.app.close();
});

const put = (payload: object) => t.app.inject({ method: 'PUT', url: `/api/v1/projects/${projectId}`, headers: auth, payload });
const config = () => t.app.inject({ url: `/api/site/1.0/${projectId}/config` });

test('defaults: kept forever, whole IPs, cookies on (and the config says nothing about cookies)', async () => {
  expect((await t.app.inject({ url: `/api/v1/projects/${projectId}`, headers: auth })).json()).toMatchObject({ retentionDays: null, truncateIp: false, cookies: true });
  expect((await config()).json().settings).not.toHaveProperty('cookies');
});

test('set, kept, served; a key left out keeps its value; bad values are a 400 naming the setting', async () => {
  expect((await put({ retentionDays: 30, truncateIp: true, cookies: false })).json()).toMatchObject({ retentionDays: 30, truncateIp: true, cookies: false });
  expect((await config()).json().settings).toMatchObject({ cookies: false });
  expect((await put({ retentionDays: null })).json()).toMatchObject({ retentionDays: null, truncateIp: true, cookies: false });
  for (const bad of [{ retentionDays: 0 }, { retentionDays: 1.5 }, { truncateIp: 'yes' }, { cookies: 1 }]) {
    const res = await put(bad);
    expect(res.statusCode).toBe(400);
    expect(res.json().message).toContain(Object.keys(bad)[0]);
  }
  expect((await put({ cookies: true })).json()).toMatchObject({ cookies: true });
  expect((await config()).json().settings).not.toHaveProperty('cookies');
});

test('a cookie-less project registers no visit and its leads name none, even from a snippet with an older config', async () => {
  const visits = (id: string) => t.app.inject({ method: 'POST', url: `/api/site/1.0/${id}/visits`, payload: { landingPage: 'https://shop.example/' } });
  const before = (await visits(projectId)).json().visit;
  expect(before).toEqual(expect.any(Number));
  await put({ cookies: false });
  // The snippet with a config from before the switch still calls /visits: nothing is kept.
  expect((await visits(projectId)).json()).toEqual({ visit: null });
  const lead = await t.app.inject({
    method: 'POST',
    url: `/api/site/1.0/${projectId}/leads`,
    payload: { clientId: 'c-cookieless-1', name: 'Anna', title: 'Visit {visit}, first {firstVisit}', context: { page: 'https://shop.example/', visit: before, firstVisit: before } },
  });
  expect(lead.statusCode).toBe(202);
  const stored = (await t.app.inject({ url: `/api/v1/projects/${projectId}/leads/${lead.json().data.id}`, headers: auth })).json();
  expect(stored.visit).toBeNull();
  expect(stored.title).toBe('Visit , first ');
  // Another project with cookies on still gets its visits.
  const other = (await newProject(t.app, 'Other')).id;
  expect((await visits(other)).json().visit).toEqual(expect.any(Number));
});
