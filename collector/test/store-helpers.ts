// Shared by the store tests: the PostgreSQL URL for tests and a complete NewLead.
import pg from 'pg';
import { openPostgresStore } from '../src/store/postgres.ts';
import type { NewLead, Store } from '../src/store/types.ts';

export const PG_URL = process.env.TEST_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/test';

/**
 * A PostgreSQL store in a schema of its own, so test files running at once never meet; call the
 * returned `dropAll` in afterAll to remove every schema made.
 */
export function postgresSchemas(prefix: string) {
  const schemas: string[] = [];
  return {
    async open(): Promise<Store> {
      const schema = `${prefix}_${process.pid}_${Math.random().toString(36).slice(2, 8)}`;
      schemas.push(schema);
      return openPostgresStore({ connectionString: PG_URL, schema, max: 4 });
    },
    async dropAll(): Promise<void> {
      if (!schemas.length) return;
      const client = new pg.Client({ connectionString: PG_URL });
      await client.connect();
      for (const s of schemas) await client.query(`DROP SCHEMA IF EXISTS ${s} CASCADE`);
      await client.end();
    },
  };
}

export function newLead(projectId: string, overrides: Partial<NewLead> = {}): NewLead {
  return {
    projectId,
    formId: null,
    clientId: null,
    source: 'proxy',
    visit: null,
    title: 'Order',
    name: 'Ann',
    phone: '+7 999 111-22-33',
    email: 'ann@example.com',
    comment: '',
    fields: {},
    clientFields: {},
    orderCreationMethod: '',
    page: '',
    referrer: '',
    landingPage: '',
    utm: { source: '', medium: '', campaign: '', term: '', content: '' },
    ip: '127.0.0.1',
    userAgent: 'test',
    callback: false,
    callbackPhone: '',
    send: true,
    duplicateCheck: 'in_processing',
    appendDuplicateComment: false,
    extra: {},
    phoneNorm: '79991112233',
    emailNorm: 'ann@example.com',
    ...overrides,
  };
}

