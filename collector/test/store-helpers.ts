// Shared by the store tests: the PostgreSQL URL for tests, a complete NewLead, and the app on each store.
import pg from 'pg';
import pino from 'pino';
import { afterAll, afterEach, describe } from 'vitest';
import { buildApp, type App, type AppOptions } from '../src/app.ts';
import { openPostgresStore } from '../src/store/postgres.ts';
import { openSqliteStore } from '../src/store/sqlite.ts';
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

/** buildApp's options without the store (onEachStore opens it); only the admin token is required. */
export type AppOnStoreOptions = Pick<AppOptions, 'adminToken'> & Partial<Omit<AppOptions, 'store' | 'adminToken'>>;

/** What `onEachStore` hands its tests: the store they run on, opened on demand and closed after each test. */
export interface EachStore {
  /** A store of this kind, closed (with the app, if any) after the test. */
  openStore(): Promise<Store>;
  /**
   * A store and the app on it, ready for `app.inject()`: no delivery worker, a silent logger, then `options`.
   * Both are closed after the test.
   */
  startApp(options: AppOnStoreOptions): Promise<{ app: App['app']; store: Store }>;
}

/**
 * The same tests once on SQLite (in memory) and once on PostgreSQL (a schema of its own per store, named
 * from `prefix` and dropped after the file), as `sqlite store` and `postgres store` describe blocks.
 * Call it at a test file's top level; `tests` declares the `it`s with the EachStore it is given.
 */
export function onEachStore(prefix: string, tests: (each: EachStore) => void): void {
  const postgres = postgresSchemas(prefix);
  afterAll(postgres.dropAll);
  describe.each([
    ['sqlite', async (): Promise<Store> => openSqliteStore({ file: ':memory:' })],
    ['postgres', postgres.open],
  ] as const)('%s store', (_name, open) => {
    let built: App | null = null;
    let store: Store | null = null;
    afterEach(async () => {
      await built?.app.close();
      await store?.close();
      built = null;
      store = null;
    });

    const openStore = async (): Promise<Store> => {
      store = await open();
      return store;
    };
    const startApp: EachStore['startApp'] = async (options) => {
      const opened = await openStore();
      built = await buildApp({ worker: false, logger: pino({ level: 'silent' }), ...options, store: opened });
      await built.app.ready();
      return { app: built.app, store: opened };
    };
    tests({ openStore, startApp });
  });
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

