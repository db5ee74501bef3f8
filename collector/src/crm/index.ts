// The registry of CRM adapters, by integration type.
import type { IntegrationType } from '../../../shared/schemas.ts';
import type { CrmAdapter } from './types.ts';
import { webhook } from './webhook.ts';

const adapters: Partial<Record<IntegrationType, CrmAdapter>> = {
  webhook,
};

export function adapterFor(type: IntegrationType): CrmAdapter | null {
  return adapters[type] ?? null;
}

export function allAdapters(): CrmAdapter[] {
  return Object.values(adapters);
}
