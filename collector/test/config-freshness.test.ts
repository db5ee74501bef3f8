// Freshness (docs/http-api.md "Site API", config): a form change saved in the admin reaches a visitor's
// next page view within 60 s, and in between the snippet asks nothing; after that it revalidates with
// the ETag and an unchanged config costs a 304 without a body. Time is the visitor's manual clock.
import { afterEach, beforeEach, expect, test } from 'vitest';
import { configVisitor } from '../../test-support/config-visitor.ts';
import type { App } from '../src/app.ts';
import { auth, newProject, testApp } from './helpers.ts';

let t: App;
let projectId: string;
let formId: string;
beforeEach(async () => {
  t = await testApp();
  projectId = (await newProject(t.app)).id;
  const res = await t.app.inject({ method: 'POST', url: `/api/v1/projects/${projectId}/forms`, headers: auth, payload: { selector: '#old', title: 'Contact' } });
  formId = res.json().id;
});
afterEach(async () => {
  await t.app.close();
});

const setSelector = (selector: string) =>
  t.app.inject({ method: 'PUT', url: `/api/v1/projects/${projectId}/forms/${formId}`, headers: auth, payload: { selector, title: 'Contact' } });

test('a changed selector reaches the next page view within 60 s, with no request before that', async () => {
  const visitor = configVisitor(t.app, projectId);
  expect((await visitor.view(0))?.forms[0]?.selector).toBe('#old');
  expect((await setSelector('#new')).statusCode).toBe(200);
  // Within the minute: the cached config, no request at all.
  expect((await visitor.view(30_000))?.forms[0]?.selector).toBe('#old');
  expect((await visitor.view(59_999))?.forms[0]?.selector).toBe('#old');
  expect(visitor.requests).toBe(1);
  expect((await visitor.view(60_000))?.forms[0]?.selector).toBe('#new');
  expect(visitor.requests).toBe(2);
});

test('an unchanged config is revalidated with its ETag: 304, no body', async () => {
  const visitor = configVisitor(t.app, projectId);
  await visitor.view(0);
  const first = visitor.bytes;
  expect((await visitor.view(61_000))?.forms[0]?.selector).toBe('#old');
  expect(visitor.requests).toBe(2);
  expect(visitor.bytes - first).toBeLessThan(first / 2);
});

test('test, debug and pick page views fetch the current config at once', async () => {
  const visitor = configVisitor(t.app, projectId);
  await visitor.view(0);
  await setSelector('#new');
  expect((await visitor.view(1_000, true))?.forms[0]?.selector).toBe('#new');
});

test('the collector asks browsers to keep the config 60 s at most and to revalidate', async () => {
  const res = await t.app.inject({ url: `/api/site/1.0/${projectId}/config` });
  expect(res.headers['cache-control']).toBe('public, max-age=60, must-revalidate');
  expect(res.json().settings.configTtl).toBe(60);
});
