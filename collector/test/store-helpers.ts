// Shared by the store tests: the PostgreSQL URL for tests and a complete NewLead.
import type { NewLead } from '../src/store/types.ts';

export const PG_URL = process.env.TEST_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/test';

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

