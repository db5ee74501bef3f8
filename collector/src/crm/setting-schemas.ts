// The building blocks of the adapters' settings schemas (each adapter declares its own with
// `defineAdapter`; docs/architecture.md "CRM adapters"). Every setting is a string, as stored.
import { z } from 'zod';
import { HTTP_URL_MESSAGE, isHttpUrl } from '../../../shared/schemas.ts';

/** A setting that must be given (a missing key and an empty value read the same). */
export const required = (what: string) =>
  z.string({ error: 'is required' }).trim().min(1, { error: 'is required', abort: true }).describe(what);

/** A setting that may be left out or empty (the adapter then uses its default). */
export const optional = (what: string) => z.string().trim().optional().describe(what);

/** A URL the integration's requests (and so its stored secrets) go to. */
export const httpUrl = (what: string) => required(what).refine(isHttpUrl, { error: HTTP_URL_MESSAGE, abort: true });

/** A URL with a default (the CRM's public API host): empty means the default. */
export const optionalUrl = (what: string) =>
  z
    .string()
    .trim()
    .refine((v) => v === '' || isHttpUrl(v), HTTP_URL_MESSAGE)
    .optional()
    .describe(what);

/** A Bitrix24 inbound webhook address (it holds the secret itself). */
export const bitrixWebhookUrl = (what: string) =>
  httpUrl(what).refine((v) => /\/rest\/[^/]+\/[^/]+/.test(new URL(v).pathname), 'must look like https://PORTAL/rest/USER/SECRET/');
