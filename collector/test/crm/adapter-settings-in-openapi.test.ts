// Each CRM type's settings, declared once in its adapter (defineAdapter), are what /docs documents
// for the integration PUT (docs/architecture.md "CRM adapters").
import pino from 'pino';
import { afterAll, beforeAll, expect, test } from 'vitest';
import { buildApp, type App } from '../../src/app.ts';
import { allAdapters } from '../../src/crm/index.ts';
import { TOKEN } from '../helpers.ts';

interface JsonSchema {
  type?: string;
  properties?: Record<string, JsonSchema>;
  required?: string[];
  const?: string;
  enum?: string[];
  description?: string;
  allOf?: JsonSchema[];
  anyOf?: JsonSchema[];
  oneOf?: JsonSchema[];
}

let t: App;
let body: JsonSchema;
beforeAll(async () => {
  t = await buildApp({ adminToken: TOKEN, logger: pino({ level: 'silent' }), worker: false });
  await t.app.ready();
  const doc = (await t.app.inject({ url: '/docs/json' })).json();
  body = doc.paths['/api/v1/projects/{projectId}/integration'].put.requestBody.content['application/json'].schema;
});
afterAll(async () => {
  await t.app.close();
});

/** Every object schema in the document's body, found through allOf/anyOf/oneOf. */
function objects(s: JsonSchema): JsonSchema[] {
  return [s, ...[...(s.allOf ?? []), ...(s.anyOf ?? []), ...(s.oneOf ?? [])].flatMap(objects)];
}

test('the integration PUT documents, for each CRM type, its own settings, which are required, with descriptions', () => {
  const byType = new Map<string, JsonSchema>();
  for (const o of objects(body)) {
    const type = o.properties?.type;
    const value = type?.const ?? (type?.enum?.length === 1 ? type.enum[0] : undefined);
    if (value && o.properties?.settings) byType.set(value, o.properties.settings);
  }
  const adapters = allAdapters();
  expect([...byType.keys()].sort()).toEqual(adapters.map((a) => a.type).sort());
  for (const adapter of adapters) {
    const settings = byType.get(adapter.type)!;
    expect(Object.keys(settings.properties ?? {}), adapter.type).toEqual(adapter.settings);
    expect([...(settings.required ?? [])].sort(), adapter.type).toEqual([...adapter.requiredSettings].sort());
    for (const [name, s] of Object.entries(settings.properties ?? {})) expect(s.description, `${adapter.type}.${name}`).toMatch(/\w{3}/);
  }
});

test('the common fields of the body are documented beside the settings', () => {
  const names = objects(body).flatMap((o) => Object.keys(o.properties ?? {}));
  expect(names).toEqual(expect.arrayContaining(['enabled', 'retry', 'callbackUrl', 'type', 'settings']));
});
