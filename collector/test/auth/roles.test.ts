// Which role each admin route needs (auth/roles.ts): reads for all, forms and resends for marketers,
// every other change (a route added later included) and users and the audit log for owners only.
import { expect, it } from 'vitest';
import { requiredRole } from '../../src/auth/roles.ts';

const P = '/api/v1/projects/:projectId';

it('reads need a viewer, but users and the audit log need an owner even to read', () => {
  for (const url of ['/api/v1/projects', P, `${P}/forms`, `${P}/leads/:leadId`, `${P}/integration`, `${P}/crm-fields`]) expect(requiredRole('GET', url), url).toBe('viewer');
  for (const url of ['/api/v1/users', '/api/v1/users/:userId', '/api/v1/audit']) expect(requiredRole('GET', url), url).toBe('owner');
});

it('forms and resends need a marketer; everything else that changes needs an owner, a route added later too', () => {
  for (const [method, url] of [
    ['POST', `${P}/forms`],
    ['PUT', `${P}/forms/:formId`],
    ['DELETE', `${P}/forms/:formId`],
    ['POST', `${P}/forms/:formId/copy`],
    ['POST', `${P}/leads/resend`],
    ['POST', `${P}/leads/:leadId/resend`],
  ]) {
    expect(requiredRole(method!, url!), `${method} ${url}`).toBe('marketer');
  }
  for (const [method, url] of [
    ['POST', '/api/v1/projects'],
    ['PUT', P],
    ['DELETE', P],
    ['POST', `${P}/key`],
    ['PUT', `${P}/integration`],
    ['POST', `${P}/integration/test`],
    ['POST', '/api/v1/users'],
    ['DELETE', '/api/v1/users/:userId'],
    ['POST', `${P}/erasure`],
    ['POST', `${P}/formsx`],
    ['DELETE', `${P}/leads/:leadId`],
  ]) {
    expect(requiredRole(method!, url!), `${method} ${url}`).toBe('owner');
  }
});
