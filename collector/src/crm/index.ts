// The registry of CRM adapters, by integration type (README "CRMs"). Each app builds its own
// (`createAdapterRegistry`), so adapters that keep state (Megaplan's tokens) never share it between
// apps; `adapterFor`/`allAdapters` read a default registry (tests, benchmarks).
import type { IntegrationType } from '../../../shared/schemas.ts';
import { amocrm } from './amocrm.ts';
import { bitrix24 } from './bitrix24.ts';
import { bitrix24Leads } from './bitrix24_leads.ts';
import { freshoffice } from './freshoffice.ts';
import { hubspot } from './hubspot.ts';
import { createMegaplan, megaplan } from './megaplan.ts';
import { moysklad } from './moysklad.ts';
import { retailcrm } from './retailcrm.ts';
import { salesforce } from './salesforce.ts';
import type { CrmAdapter } from './types.ts';
import { uon } from './uon.ts';
import { webhook } from './webhook.ts';
import { yclients } from './yclients.ts';

export interface AdapterRegistry {
  adapterFor(type: IntegrationType): CrmAdapter | null;
  all(): CrmAdapter[];
}

/** A registry with its own stateful adapters (Megaplan's token cache): one per app. */
export function createAdapterRegistry(): AdapterRegistry {
  return registry(createMegaplan());
}

function registry(megaplanAdapter: CrmAdapter): AdapterRegistry {
  const adapters: Record<IntegrationType, CrmAdapter> = {
    webhook,
    amocrm,
    retailcrm,
    bitrix24,
    bitrix24_leads: bitrix24Leads,
    moysklad,
    megaplan: megaplanAdapter,
    yclients,
    salesforce,
    freshoffice,
    uon,
    hubspot,
  };
  return { adapterFor: (type) => adapters[type] ?? null, all: () => Object.values(adapters) };
}

/** The default registry shares the `megaplan` instance that `clearMegaplanTokens()` resets. */
const defaults = registry(megaplan);

export function adapterFor(type: IntegrationType): CrmAdapter | null {
  return defaults.adapterFor(type);
}

export function allAdapters(): CrmAdapter[] {
  return defaults.all();
}
