// The one small interface every CRM adapter implements (one file per CRM in this folder).
// An adapter turns a stored lead into exactly the requests its CRM's public API documents, and
// turns the CRM's answers into a deal id or a classified CrmError. Quirks stay inside its file.
import type { z } from 'zod';
import type { DroppedField, IntegrationType, Lead } from '../../../shared/schemas.ts';

export type { DroppedField };

export interface RateLimit {
  /** Requests allowed per window. */
  count: number;
  /** Window length in milliseconds. */
  perMs: number;
  /** Extra requests a full bucket may spend at once (Bitrix24's burst); defaults to `count`. */
  burst?: number;
  /** Requests in flight at once, per process (MoySklad refuses a 6th); defaults to DEFAULT_PARALLEL. */
  parallel?: number | undefined;
}

/** The cap on requests in flight to a CRM that documents none. */
export const DEFAULT_PARALLEL = 4;

/** The wire under crmRequest (crm/http-client.ts); the headers are already checked (crm/http.ts `prepare`). */
export interface CrmWireRequest {
  method: string;
  headers: Headers;
  body: string | null;
  signal: AbortSignal | null;
}

export interface CrmWireResponse {
  status: number;
  headers: Headers;
  /** The answer as UTF-8 text; empty for a redirect, whose body is never read. */
  text: string;
}

export type CrmSend = (url: URL, req: CrmWireRequest) => Promise<CrmWireResponse>;

export interface CrmContext {
  /** The integration's settings (secrets included: adapters run on the server only). */
  settings: Record<string, string>;
  /** The fetch to use (tests and the worker pass one with a timeout). */
  fetch: typeof fetch;
  /** The wire crmRequest uses instead of `fetch` when set (the worker's undici client, crm/http-client.ts). */
  send?: CrmSend;
  signal?: AbortSignal;
  /** The time in ms (defaults to Date.now); tests pass a fixed one to check waits the CRM names as a time. */
  now?: () => number;
}

export interface CrmResult {
  /** The CRM's id for the deal/lead/order it made. */
  crmId: string | null;
  httpStatus: number | null;
  /** Extra fields the CRM refused: the lead went without them, and they were added to the deal as a note. */
  droppedFields?: DroppedField[];
  /** Notes the adapter could not add once the deal existed: the worker queues them as note jobs. */
  pendingNotes?: CrmNote[];
}

/** A field of the lead the CRM named in its refusal: `key` as the form sent it, in `fields` or `clientFields`. */
export interface RefusedField {
  key: string;
  in: 'fields' | 'clientFields';
  reason: string;
}

export interface CrmField {
  key: string;
  label: string;
  type?: string;
  /** For list fields: the allowed values. */
  options?: { value: string; label: string }[];
}

export interface CrmNote {
  title: string;
  message: string;
  /**
   * This note's own id, ASCII, the same on every retry and different for every comment: an
   * idempotency key for CRMs that take one (never derived from the note's text).
   */
  key?: string;
}

/** An adapter's settings: strings by name, unknown names kept as given (crm/define-adapter.ts). */
export type SettingsSchema = z.ZodObject<Record<string, z.ZodType<string | undefined, string | undefined>>>;

/** What `defineAdapter` (crm/define-adapter.ts) makes of an adapter's definition. */
export interface CrmAdapter {
  type: IntegrationType;
  /** Human name for the admin UI. */
  label: string;
  /** The settings as a zod schema: the integration PUT checks them, /docs documents them. */
  settingsSchema?: SettingsSchema;
  /** Setting names, in the order the admin form shows them. */
  settings: readonly string[];
  /** Settings that must be present for the adapter to work. */
  requiredSettings: readonly string[];
  /** Settings never returned by a GET (masked). */
  secretSettings: readonly string[];
  /** The CRM's documented rate limit: the worker never sends faster. */
  rateLimit: RateLimit;
  /** The pace for these settings when it depends on them (MoySklad's token kind); else `rateLimit`. */
  rateLimitFor?(settings: Record<string, string>): RateLimit;
  /**
   * The CRM finds a lead by our lead id, so a note needs no CRM deal id (the webhook). Otherwise a
   * note waits for the deal id, and a lead sent without one cannot take notes.
   */
  notesByLeadId?: boolean;
  create(lead: Lead, ctx: CrmContext): Promise<CrmResult>;
  addNote(lead: Lead, crmId: string, note: CrmNote, ctx: CrmContext): Promise<void>;
  listFields(ctx: CrmContext): Promise<CrmField[]>;
  testConnection(ctx: CrmContext): Promise<{ ok: boolean; message: string }>;
}

/**
 * A failed CRM call. `permanent` errors (bad credentials, a validation error a retry cannot fix)
 * stop retrying at once; others are retried by the integration's policy.
 */
export class CrmError extends Error {
  readonly permanent: boolean;
  readonly httpStatus: number | null;
  /** From Retry-After or the CRM's own rate-limit headers. */
  readonly retryAfterMs: number | null;
  /** The lead's extra fields the CRM refused by name: the lead can go again without them. */
  readonly refused: RefusedField[];

  constructor(
    message: string,
    opts: { permanent: boolean; httpStatus?: number | null; retryAfterMs?: number | null; refused?: RefusedField[] },
  ) {
    super(message);
    this.name = 'CrmError';
    this.permanent = opts.permanent;
    this.httpStatus = opts.httpStatus ?? null;
    this.retryAfterMs = opts.retryAfterMs ?? null;
    this.refused = opts.refused ?? [];
  }
}
