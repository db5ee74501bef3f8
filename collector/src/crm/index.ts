// The registry of CRM adapters, by integration type (README "CRMs").
import type { IntegrationType } from '../../../shared/schemas.ts';
import { amocrm } from './amocrm.ts';
import { bitrix24 } from './bitrix24.ts';
import { bitrix24Leads } from './bitrix24_leads.ts';
import { freshoffice } from './freshoffice.ts';
import { hubspot } from './hubspot.ts';
import { megaplan } from './megaplan.ts';
import { moysklad } from './moysklad.ts';
import { retailcrm } from './retailcrm.ts';
import { salesforce } from './salesforce.ts';
import type { CrmAdapter } from './types.ts';
import { uon } from './uon.ts';
import { webhook } from './webhook.ts';
import { yclients } from './yclients.ts';

const adapters: Record<IntegrationType, CrmAdapter> = {
  webhook,
  amocrm,
  retailcrm,
  bitrix24,
  bitrix24_leads: bitrix24Leads,
  moysklad,
  megaplan,
  yclients,
  salesforce,
  freshoffice,
  uon,
  hubspot,
};

export function adapterFor(type: IntegrationType): CrmAdapter | null {
  return adapters[type] ?? null;
}

export function allAdapters(): CrmAdapter[] {
  return Object.values(adapters);
}
