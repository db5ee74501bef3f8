import { describe, expect, it } from 'vitest';
import type { IntegrationTypeInfo } from '../api.ts';
import { draftFrom, integrationBody, problemsByControl } from './integration-draft.ts';

const webhook: IntegrationTypeInfo = { type: 'webhook', label: 'Webhook', settings: ['url', 'secret'], secretSettings: ['secret'], requiredSettings: ['url'] };
const amocrm: IntegrationTypeInfo = { type: 'amocrm', label: 'amoCRM', settings: ['baseUrl', 'token'], secretSettings: ['token'], requiredSettings: ['baseUrl', 'token'] };
const stored = { type: 'webhook', enabled: true, settings: { url: 'https://crm.example/hook', secret: '********' } };

describe('integration settings form', () => {
  it('never shows a stored secret, and keeps it by sending the mask back', () => {
    const draft = draftFrom(stored);
    expect(draft.settings).toEqual({ url: 'https://crm.example/hook' });
    const result = integrationBody(draft, webhook);
    expect('body' in result && result.body.settings).toEqual({ url: 'https://crm.example/hook', secret: '********' });
  });

  it('sends a newly typed secret instead', () => {
    const draft = { ...draftFrom(stored), settings: { url: 'https://crm.example/hook', secret: 'new-one' } };
    const result = integrationBody(draft, webhook);
    expect('body' in result && result.body.settings.secret).toBe('new-one');
  });

  it('does not carry a masked secret over to another CRM type', () => {
    const draft = { ...draftFrom({ type: 'amocrm', enabled: true, settings: { baseUrl: 'https://a.amocrm.ru', token: '********' } }), type: 'webhook' };
    draft.settings = { url: 'https://crm.example/hook' };
    const result = integrationBody(draft, webhook);
    expect('body' in result && result.body.settings).toEqual({ url: 'https://crm.example/hook' });
    const back = integrationBody({ ...draft, type: 'amocrm', settings: { baseUrl: 'https://a.amocrm.ru' } }, amocrm);
    expect('body' in back && back.body.settings.token).toBe('********');
  });

  it('says which setting is missing or wrong', () => {
    expect(integrationBody(draftFrom(null), undefined)).toEqual({ error: 'CRM type: choose the CRM your leads go to.' });
    expect(integrationBody({ ...draftFrom(null), type: 'amocrm' }, amocrm)).toEqual({ error: 'API address: this setting is required for amoCRM.', control: 'settings.baseUrl', problem: 'this setting is required for amoCRM.' });
    const ok = { ...draftFrom(stored) };
    expect(integrationBody({ ...ok, maxAttempts: '2.5' }, webhook)).toEqual({ error: 'Attempts at most: enter a whole number above 0.' });
    expect(integrationBody({ ...ok, baseSeconds: '0' }, webhook)).toEqual({ error: 'First delay (seconds): enter a number above 0.' });
    expect(integrationBody({ ...ok, callbackUrl: 'calls.example.com' }, webhook)).toEqual({ error: 'Call-back URL: enter a full address starting with https://', control: 'callbackUrl', problem: 'enter a full address starting with https://' });
  });

  it('starts from the default retry policy and sends the one set', () => {
    const draft = draftFrom(stored);
    expect([draft.strategy, draft.baseSeconds, draft.maxAttempts, draft.maxAgeSeconds]).toEqual(['fixed', '1800', '96', '']);
    const result = integrationBody({ ...draft, strategy: 'exponential', baseSeconds: '30', maxAttempts: '10', maxAgeSeconds: '86400' }, webhook);
    expect('body' in result && result.body.retry).toEqual({ strategy: 'exponential', baseSeconds: 30, maxAttempts: 10, maxAgeSeconds: 86400 });
  });

  it("splits the server's validation message by control, so each shows next to its own", () => {
    expect(
      problemsByControl(
        'settings.baseUrl: must be an absolute http(s) URL, e.g. https://example.com/; settings.token: enter it again: baseUrl changed, and a stored secret is never sent to a new address; callbackUrl: must be an absolute http(s) URL, e.g. https://example.com/',
      ),
    ).toEqual({
      controls: {
        'settings.baseUrl': 'must be an absolute http(s) URL, e.g. https://example.com/',
        'settings.token': 'enter it again: baseUrl changed, and a stored secret is never sent to a new address',
        callbackUrl: 'must be an absolute http(s) URL, e.g. https://example.com/',
      },
      rest: [],
    });
    expect(problemsByControl('The CRM type "x" is not available in this build.')).toEqual({ controls: {}, rest: ['The CRM type "x" is not available in this build.'] });
  });

  it('keeps a pace set through the API (rateLimit) when saved, unless the CRM type changes', () => {
    const rateLimit = { count: 500, perSeconds: 1, parallel: 16 };
    const draft = draftFrom({ ...stored, rateLimit });
    const same = integrationBody(draft, webhook);
    expect('body' in same && same.body.rateLimit).toEqual(rateLimit);
    const other = integrationBody({ ...draft, type: 'amocrm', settings: { baseUrl: 'https://a.amocrm.ru', token: 't' } }, amocrm);
    expect('body' in other && other.body).not.toHaveProperty('rateLimit');
  });
});
