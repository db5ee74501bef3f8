// Bitrix24, deals: the client's contact (found by phone/email, else crm.contact.add), then
// crm.deal.add linked to it by CONTACT_IDS (CONTACT_ID is deprecated: crm-deal-add.md), with
// ORIGINATOR_ID/ORIGIN_ID so a retried lead finds its deal instead of making two. A field Bitrix24
// refuses is dropped and kept in a timeline comment (createKeepingLead).
import { z } from 'zod';
import type { Lead } from '../../../shared/schemas.ts';
import { createKeepingLead, dealTitle } from './adapter-kit.ts';
import {
  B24_RATE_LIMIT, ORIGINATOR, addTimelineComment, b24Add, b24TestConnection, clientSources, contactManager, entityFields,
  findByOrigin, findContact, multiField, splitFields, utmFields,
} from './bitrix24-rest.ts';
import type { CrmContext, CrmResult } from './types.ts';
import { defineAdapter } from './define-adapter.ts';
import { bitrixWebhookUrl } from './setting-schemas.ts';

async function createDeal(lead: Lead, ctx: CrmContext): Promise<CrmResult> {
  const existing = await findByOrigin(ctx, 'deal', lead.id);
  if (existing) return { crmId: existing, httpStatus: 200 };

  const { main, contact, contactManager: useContactManager, mainSources, contactSources } = splitFields(lead.fields);
  const contactFields = { ...contact, ...lead.clientFields };
  let contactId = lead.phone || lead.email ? await findContact(ctx, lead) : null;
  const manager = contactId && useContactManager ? await contactManager(ctx, contactId) : null;
  if (!contactId && (lead.name || lead.phone || lead.email || Object.keys(contactFields).length)) {
    const id = await b24Add(ctx, 'contact', {
      fields: {
        ...(lead.name ? { NAME: lead.name } : {}),
        ...(lead.phone ? { PHONE: multiField(lead.phone) } : {}),
        ...(lead.email ? { EMAIL: multiField(lead.email) } : {}),
        SOURCE_ID: 'WEB',
        ...contactFields,
      },
    }, [...contactSources, ...clientSources(lead.clientFields)]);
    contactId = String(id);
  }

  const id = await b24Add(ctx, 'deal', {
    fields: {
      TITLE: dealTitle(lead.title, lead.name, lead.phone, lead.email),
      SOURCE_ID: 'WEB',
      ...(lead.comment ? { COMMENTS: lead.comment } : {}),
      ...(contactId ? { CONTACT_IDS: [contactId] } : {}),
      ...utmFields(lead),
      ...main,
      ...(manager ? { ASSIGNED_BY_ID: manager } : {}),
      ORIGINATOR_ID: ORIGINATOR,
      ORIGIN_ID: lead.id,
    },
    params: { REGISTER_SONET_EVENT: 'Y' },
  }, mainSources);
  return { crmId: String(id), httpStatus: 200 };
}

export const bitrix24 = defineAdapter({
  type: 'bitrix24',
  label: 'Bitrix24 (deals)',
  settings: z.looseObject({
    webhookUrl: bitrixWebhookUrl('The inbound webhook, https://PORTAL/rest/USER/SECRET/ (it holds the secret).'),
  }),
  // The webhook URL holds the secret.
  secret: ['webhookUrl'],
  rateLimit: B24_RATE_LIMIT,

  create(lead, ctx) {
    return createKeepingLead(lead, (l) => createDeal(l, ctx), (crmId, note) => addTimelineComment(ctx, 'deal', crmId, note.title, note.message));
  },

  async addNote(_lead, crmId, note, ctx) {
    await addTimelineComment(ctx, 'deal', crmId, note.title, note.message);
  },

  fields: (ctx) => entityFields(ctx, 'deal'),
  test: b24TestConnection,
});
