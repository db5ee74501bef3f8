// The integration form's state and the PUT body it makes (docs/http-api.md "Admin API"). Secrets are write-only:
// a GET shows them as the mask, and sending the mask back keeps the stored value.
import type { IntegrationRateLimit, RetryPolicy } from '../../../shared/schemas.ts';
import { SECRET_MASK, type IntegrationTypeInfo, type IntegrationView } from '../api.ts';
import { messages } from './i18n.ts';
import { settingLabel } from './setting-labels.ts';

const t = messages({
  en: {
    chooseType: 'CRM type: choose the CRM your leads go to.',
    required: 'this setting is required for {crm}.',
    number: '{label}: enter a number above 0.',
    wholeNumber: '{label}: enter a whole number above 0.',
    firstDelay: 'First delay (seconds)',
    attempts: 'Attempts at most',
    giveUp: 'Give up after (seconds)',
    callbackProblem: 'enter a full address starting with https://',
    callbackUrl: 'Call-back URL',
  },
  ru: {
    chooseType: 'Тип CRM: выберите CRM, куда идут заявки.',
    required: 'эта настройка обязательна для {crm}.',
    number: '{label}: введите число больше 0.',
    wholeNumber: '{label}: введите целое число больше 0.',
    firstDelay: 'Первая пауза (секунды)',
    attempts: 'Попыток не больше',
    giveUp: 'Прекратить через (секунды)',
    callbackProblem: 'введите полный адрес, начиная с https://',
    callbackUrl: 'Адрес обратного звонка',
  },
});

/** Labels of the retry and call-back controls, shared with the integration page. */
export const draftLabel = (key: 'firstDelay' | 'attempts' | 'giveUp' | 'callbackUrl'): string => t(key);

/** The default retry policy (every 30 minutes for 2 days, README "Delivery"); copied, not imported, so zod stays out of the bundle. */
const DEFAULT_RETRY_POLICY: RetryPolicy = { strategy: 'fixed', baseSeconds: 1800, maxAttempts: 96 };

export interface Draft {
  type: string;
  enabled: boolean;
  /** Typed values; for a stored secret, '' means "keep it". */
  settings: Record<string, string>;
  /** Secrets the server already holds (it answered with the mask), and for which CRM type. */
  storedSecrets: string[];
  storedType: string;
  strategy: RetryPolicy['strategy'];
  baseSeconds: string;
  maxAttempts: string;
  maxAgeSeconds: string;
  callbackUrl: string;
  /** The stored pace (set through the admin API): sent back unchanged while the CRM type stays. */
  rateLimit?: IntegrationRateLimit;
}

export function draftFrom(integration: IntegrationView | null): Draft {
  const retry = integration?.retry ?? DEFAULT_RETRY_POLICY;
  const settings: Record<string, string> = {};
  const storedSecrets: string[] = [];
  for (const [k, v] of Object.entries(integration?.settings ?? {})) {
    if (v === SECRET_MASK) storedSecrets.push(k);
    else settings[k] = v;
  }
  return {
    type: integration?.type ?? '',
    enabled: integration?.enabled ?? true,
    settings,
    storedSecrets,
    storedType: integration?.type ?? '',
    strategy: retry.strategy,
    baseSeconds: String(retry.baseSeconds),
    maxAttempts: String(retry.maxAttempts),
    maxAgeSeconds: retry.maxAgeSeconds === undefined ? '' : String(retry.maxAgeSeconds),
    callbackUrl: integration?.callbackUrl ?? '',
    ...(integration?.rateLimit ? { rateLimit: integration.rateLimit } : {}),
  };
}

export function hasStoredSecret(draft: Draft, name: string): boolean {
  return draft.type === draft.storedType && draft.storedSecrets.includes(name);
}

/**
 * The server's validation message ("settings.url: must be …; settings.secret: enter it again: …")
 * split by control, so each problem shows next to its control: `settings.<name>` for a setting,
 * `callbackUrl`, `retry.<name>`; what names no control stays in `rest`.
 */
export function problemsByControl(message: string): { controls: Record<string, string>; rest: string[] } {
  const controls: Record<string, string> = {};
  const rest: string[] = [];
  for (const part of message.split(/;\s+(?=[\w.]+: )/)) {
    const m = /^((?:settings|retry)\.\w+|callbackUrl): (.+)$/s.exec(part.trim());
    if (m) controls[m[1]!] = controls[m[1]!] ? `${controls[m[1]!]}; ${m[2]}` : m[2]!;
    else if (part.trim()) rest.push(part.trim());
  }
  return { controls, rest };
}

/** Builds the PUT body, or says which field is wrong (`control`: the key of problemsByControl). */
export function integrationBody(draft: Draft, info: IntegrationTypeInfo | undefined): { body: IntegrationView } | { error: string; control?: string; problem?: string } {
  if (!draft.type || !info) return { error: t('chooseType') };
  const settings: Record<string, string> = {};
  for (const name of info.settings) {
    const typed = (draft.settings[name] ?? '').trim();
    if (typed) settings[name] = typed;
    // The server keeps a stored secret only for the same CRM type, so the mask is sent only then.
    else if (hasStoredSecret(draft, name)) settings[name] = SECRET_MASK;
    else if (info.requiredSettings.includes(name)) {
      const problem = t('required', { crm: info.label });
      return { error: `${settingLabel(name)}: ${problem}`, control: `settings.${name}`, problem };
    }
  }
  const num = (text: string, label: string, integer: boolean): number | string => {
    const n = Number(text);
    if (!text.trim() || !Number.isFinite(n) || n <= 0 || (integer && !Number.isInteger(n))) return t(integer ? 'wholeNumber' : 'number', { label });
    return n;
  };
  const baseSeconds = num(draft.baseSeconds, t('firstDelay'), false);
  if (typeof baseSeconds === 'string') return { error: baseSeconds };
  const maxAttempts = num(draft.maxAttempts, t('attempts'), true);
  if (typeof maxAttempts === 'string') return { error: maxAttempts };
  const retry: RetryPolicy = { strategy: draft.strategy, baseSeconds, maxAttempts };
  if (draft.maxAgeSeconds.trim()) {
    const maxAge = num(draft.maxAgeSeconds, t('giveUp'), false);
    if (typeof maxAge === 'string') return { error: maxAge };
    retry.maxAgeSeconds = maxAge;
  }
  const callbackUrl = draft.callbackUrl.trim();
  if (callbackUrl && !/^https?:\/\/\S+$/i.test(callbackUrl)) return { error: `${t('callbackUrl')}: ${t('callbackProblem')}`, control: 'callbackUrl', problem: t('callbackProblem') };
  const rateLimit = draft.type === draft.storedType ? draft.rateLimit : undefined;
  return { body: { type: draft.type, enabled: draft.enabled, settings, retry, callbackUrl, ...(rateLimit ? { rateLimit } : {}) } };
}

