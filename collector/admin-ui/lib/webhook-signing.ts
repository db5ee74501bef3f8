// Whether the webhook's deliveries will be signed: with no secret typed and none stored, they are
// not, and the integration page says so (a receiver cannot tell our requests from anyone's).
import { hasStoredSecret, type Draft } from './integration-draft.ts';

export function unsignedWebhookNotice(draft: Draft): string | null {
  if (draft.type !== 'webhook') return null;
  if ((draft.settings.secret ?? '').trim() || hasStoredSecret(draft, 'secret')) return null;
  return 'No secret is set: deliveries are unsigned, so the receiver cannot check that they come from leadrelay. Set a secret to sign them (X-Leadrelay-Signature and the Standard Webhooks headers).';
}
