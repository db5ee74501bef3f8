// Whether the webhook's deliveries will be signed: with no secret typed and none stored, they are
// not, and the integration page says so (a receiver cannot tell our requests from anyone's).
import { messages } from './i18n.ts';
import { hasStoredSecret, type Draft } from './integration-draft.ts';

const t = messages({
  en: {
    unsigned:
      'No secret is set: deliveries are unsigned, so the receiver cannot check that they come from leadrelay. Set a secret to sign them (X-Leadrelay-Signature and the Standard Webhooks headers).',
  },
  ru: {
    unsigned:
      'Секрет не задан: запросы не подписаны, и получатель не может проверить, что они от leadrelay. Задайте секрет, чтобы подписывать их (X-Leadrelay-Signature и заголовки Standard Webhooks).',
  },
});

export function unsignedWebhookNotice(draft: Draft): string | null {
  if (draft.type !== 'webhook') return null;
  if ((draft.settings.secret ?? '').trim() || hasStoredSecret(draft, 'secret')) return null;
  return t('unsigned');
}
