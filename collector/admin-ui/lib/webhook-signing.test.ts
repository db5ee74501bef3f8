import { describe, expect, it } from 'vitest';
import { draftFrom } from './integration-draft.ts';
import { unsignedWebhookNotice } from './webhook-signing.ts';

describe('the unsigned-webhook notice', () => {
  it('shows for a webhook with no secret typed and none stored', () => {
    const draft = draftFrom({ type: 'webhook', enabled: true, settings: { url: 'https://crm.example/hook' } });
    expect(unsignedWebhookNotice(draft)).toMatch(/deliveries are unsigned/);
    expect(unsignedWebhookNotice({ ...draft, settings: { ...draft.settings, secret: '   ' } })).toMatch(/unsigned/);
  });

  it('is gone once a secret is typed or stored, and never shows for a CRM', () => {
    const stored = draftFrom({ type: 'webhook', enabled: true, settings: { url: 'https://crm.example/hook', secret: '********' } });
    expect(unsignedWebhookNotice(stored)).toBeNull();
    const typed = draftFrom({ type: 'webhook', enabled: true, settings: { url: 'https://crm.example/hook' } });
    expect(unsignedWebhookNotice({ ...typed, settings: { ...typed.settings, secret: 'a-new-secret' } })).toBeNull();
    expect(unsignedWebhookNotice(draftFrom({ type: 'amocrm', enabled: true, settings: { baseUrl: 'https://a.amocrm.ru' } }))).toBeNull();
  });
});
