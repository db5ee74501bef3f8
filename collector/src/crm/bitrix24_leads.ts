// Bitrix24, leads (cloud "leads + deals" mode, and on-premise "box" installs): one crm.lead.add
// carrying the client's name/phone/email, with ORIGINATOR_ID/ORIGIN_ID so a retry finds the lead.
// A field Bitrix24 refuses is dropped and kept in a timeline comment (createKeepingLead).
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

async function createLead(lead: Lead, ctx: CrmContext): Promise<CrmResult> {
  const existing = await findByOrigin(ctx, 'lead', lead.id);
  if (existing) return { crmId: existing, httpStatus: 200 };

  const { main, contact, contactManager: useContactManager, mainSources, contactSources } = splitFields(lead.fields);
  let link: Record<string, unknown> = {};
  if (useContactManager && (lead.phone || lead.email)) {
    const contactId = await findContact(ctx, lead);
    const manager = contactId ? await contactManager(ctx, contactId) : null;
    // CONTACT_ID is deprecated for CONTACT_IDS (crm-lead-add.md, as crm-deal-add.md).
    if (contactId) link = { CONTACT_IDS: [contactId], ...(manager ? { ASSIGNED_BY_ID: manager } : {}) };
  }

  const id = await b24Add(ctx, 'lead', {
    fields: {
      TITLE: dealTitle(lead.title, lead.name, lead.phone, lead.email),
      ...(lead.name ? { NAME: lead.name } : {}),
      ...(lead.phone ? { PHONE: multiField(lead.phone) } : {}),
      ...(lead.email ? { EMAIL: multiField(lead.email) } : {}),
      ...(lead.comment ? { COMMENTS: lead.comment } : {}),
      SOURCE_ID: 'WEB',
      ...utmFields(lead),
      // A Bitrix24 lead holds the client's own data, so contact fields go on it too.
      ...lead.clientFields,
      ...contact,
      ...main,
      ...link,
      ORIGINATOR_ID: ORIGINATOR,
      ORIGIN_ID: lead.id,
    },
    params: { REGISTER_SONET_EVENT: 'Y' },
  }, [...clientSources(lead.clientFields), ...contactSources, ...mainSources]);
  return { crmId: String(id), httpStatus: 200 };
}

export const bitrix24Leads = defineAdapter({
  type: 'bitrix24_leads',
  label: 'Bitrix24 (leads + deals, on-premise)',
  settings: z.looseObject({
    webhookUrl: bitrixWebhookUrl('The inbound webhook, https://PORTAL/rest/USER/SECRET/ (it holds the secret).'),
  }),
  secret: ['webhookUrl'],
  rateLimit: B24_RATE_LIMIT,

  create(lead, ctx) {
    return createKeepingLead(lead, (l) => createLead(l, ctx), (crmId, note) => addTimelineComment(ctx, 'lead', crmId, note.title, note.message));
  },

  async addNote(_lead, crmId, note, ctx) {
    await addTimelineComment(ctx, 'lead', crmId, note.title, note.message);
  },

  fields: (ctx) => entityFields(ctx, 'lead'),
  test: b24TestConnection,
});
