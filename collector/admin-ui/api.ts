// The admin API client: every call carries the token as a Bearer header (or, after a login by email
// and password, the browser sends the session cookie: README "Users and roles"), and every failure
// becomes an ApiError holding the server's own message (docs/http-api.md: {status, error, message}).
import { messages } from './lib/i18n.ts';
import type { CrmFieldView, IntegrationAnswer, IntegrationTypeView, LeadsSummary, LeadWithAttempts, ProjectView } from '../../shared/admin-api.ts';
import type { Lead, LeadStatus, Project, ProjectSettingsInput } from '../../shared/schemas.ts';
import type { FormConfig, FormConfigInput } from '../../shared/form-config.ts';

// The answers' types come from the admin API's own response schemas (shared/admin-api.ts).
export type { LeadWithAttempts, ProjectView };

const TOKEN_KEY = 'leadrelay.adminToken';

const t = messages({
  en: { noAnswer: 'The collector did not answer. Is it running?', answered: 'The collector could not do this (error {status}).' },
  ru: { noAnswer: 'Коллектор не ответил. Он запущен?', answered: 'Коллектор не смог это сделать (ошибка {status}).' },
});

export function getToken(): string | null {
  return sessionStorage.getItem(TOKEN_KEY);
}
export function setToken(token: string): void {
  sessionStorage.setItem(TOKEN_KEY, token);
}
export function clearToken(): void {
  sessionStorage.removeItem(TOKEN_KEY);
}

export class ApiError extends Error {
  constructor(
    readonly httpStatus: number,
    readonly code: string,
    message: string,
  ) {
    super(message);
    this.name = 'ApiError';
  }
}

/** Called when the server says the token is no longer good, so the app can show the login again. */
let onUnauthorized: (message: string) => void = () => {};
export function setUnauthorizedHandler(handler: (message: string) => void): void {
  onUnauthorized = handler;
}

export async function api<T>(method: string, path: string, body?: unknown, token = getToken()): Promise<T> {
  const headers: Record<string, string> = { Accept: 'application/json' };
  if (token) headers.Authorization = `Bearer ${token}`;
  if (body !== undefined) headers['Content-Type'] = 'application/json';
  let res: Response;
  try {
    res = await fetch(`/api/v1${path}`, { method, headers, body: body === undefined ? null : JSON.stringify(body) });
  } catch {
    throw new ApiError(0, 'NETWORK', t('noAnswer'));
  }
  const text = await res.text();
  let data: unknown = null;
  if (text) {
    try {
      data = JSON.parse(text);
    } catch {
      data = null;
    }
  }
  if (!res.ok) {
    const err = data as { error?: unknown; message?: unknown } | null;
    const code = typeof err?.error === 'string' ? err.error : `HTTP_${res.status}`;
    const message = typeof err?.message === 'string' && err.message ? err.message : t('answered', { status: res.status });
    if (res.status === 401 && code !== 'LOGIN_FAILED') onUnauthorized(message);
    throw new ApiError(res.status, code, message);
  }
  return data as T;
}

export interface Page<T> {
  items: T[];
  next: string | null;
}


/** The integration as the UI edits and sends it (the answer without its server-side fields). */
export type IntegrationView = Omit<IntegrationAnswer, 'projectId' | 'updatedAt' | 'type'> & { type: string };

/** What the integration form needs of a CRM type. */
export type IntegrationTypeInfo = Pick<IntegrationTypeView, 'label' | 'settings' | 'secretSettings' | 'requiredSettings'> & { type: string };

export type CrmFieldInfo = CrmFieldView;

/** What a GET returns in place of a stored secret; sent back as is, it keeps the secret. */
export const SECRET_MASK = '********';

const p = (projectId: string) => `/projects/${encodeURIComponent(projectId)}`;

export interface LeadQuery {
  status?: LeadStatus | '';
  q?: string;
  limit?: number;
  before?: string | null;
}

export function leadQueryString(query: LeadQuery): string {
  const params = new URLSearchParams();
  if (query.status) params.set('status', query.status);
  if (query.q) params.set('q', query.q);
  if (query.limit) params.set('limit', String(query.limit));
  if (query.before) params.set('before', query.before);
  const s = params.toString();
  return s ? `?${s}` : '';
}

export type SessionInfo = { user: { id: string; email: string; role: 'owner' | 'marketer' | 'viewer' } } | { token: true; role: 'owner' };

export interface UserView {
  id: string;
  email: string;
  role: 'owner' | 'marketer' | 'viewer';
  createdAt: string;
}

export interface AuditView {
  id: number;
  projectId: string | null;
  actor: string;
  action: string;
  detail: Record<string, unknown>;
  at: string;
}

/** Who is logged in (the token in this tab, or the session cookie), or null when nobody; never calls the 401 handler. */
export async function whoAmI(token = getToken()): Promise<SessionInfo | null> {
  const res = await fetch('/api/v1/session', { headers: token ? { Authorization: `Bearer ${token}` } : {} }).catch(() => null);
  if (!res?.ok) return null;
  return (await res.json()) as SessionInfo;
}

export const adminApi = {
  login: (email: string, password: string) => api<SessionInfo>('POST', '/session', { email, password }),
  logout: () => api<unknown>('DELETE', '/session'),
  listUsers: () => api<UserView[]>('GET', '/users'),
  createUser: (user: { email: string; password: string; role: string }) => api<UserView>('POST', '/users', user),
  deleteUser: (userId: string) => api<unknown>('DELETE', `/users/${encodeURIComponent(userId)}`),
  listAudit: (query: { projectId?: string; before?: string | null }) => {
    const params = new URLSearchParams();
    if (query.projectId) params.set('projectId', query.projectId);
    if (query.before) params.set('before', query.before);
    const qs = params.toString();
    return api<Page<AuditView>>('GET', `/audit${qs ? `?${qs}` : ''}`);
  },
  renameProject: (projectId: string, name: string) => api<ProjectView>('PUT', p(projectId), { name }),
  deleteProject: (projectId: string) => api<unknown>('DELETE', p(projectId)),
  newProjectKey: (projectId: string) => api<Project>('POST', `${p(projectId)}/key`),
  projectCounts: (projectId: string) => api<{ forms: number; leads: number }>('GET', `${p(projectId)}/counts`),

  listProjects: (token?: string) => api<Page<Project> | Project[]>('GET', '/projects', undefined, token).then(itemsOf),
  createProject: (name: string) => api<Project>('POST', '/projects', { name }),
  getProject: (projectId: string) => api<ProjectView>('GET', p(projectId)),
  putProjectSettings: (projectId: string, change: ProjectSettingsInput) => api<ProjectView>('PUT', p(projectId), change),
  /** Erases one person's leads (docs/privacy.md "Erasure"); the message says the CRM's copy is not touched. */
  erase: (projectId: string, person: { phone?: string; email?: string }) => api<{ deleted: number; message: string }>('POST', `${p(projectId)}/erasure`, person),
  install: (projectId: string) => api<{ publicUrl: string; scriptTag: string; proxyUrl: string }>('GET', `${p(projectId)}/install`),

  listForms: (projectId: string) => api<Page<FormConfig> | FormConfig[]>('GET', `${p(projectId)}/forms`).then(itemsOf),
  getForm: (projectId: string, formId: string) => api<FormConfig>('GET', `${p(projectId)}/forms/${encodeURIComponent(formId)}`),
  createForm: (projectId: string, form: FormConfigInput) => api<FormConfig>('POST', `${p(projectId)}/forms`, form),
  replaceForm: (projectId: string, formId: string, form: FormConfigInput) =>
    api<FormConfig>('PUT', `${p(projectId)}/forms/${encodeURIComponent(formId)}`, form),
  deleteForm: (projectId: string, formId: string) => api<unknown>('DELETE', `${p(projectId)}/forms/${encodeURIComponent(formId)}`),
  copyForm: (projectId: string, formId: string) => api<FormConfig>('POST', `${p(projectId)}/forms/${encodeURIComponent(formId)}/copy`),

  getIntegration: (projectId: string) => api<IntegrationView>('GET', `${p(projectId)}/integration`),
  putIntegration: (projectId: string, integration: IntegrationView) => api<IntegrationView>('PUT', `${p(projectId)}/integration`, integration),
  testIntegration: (projectId: string) => api<{ ok: boolean; message: string }>('POST', `${p(projectId)}/integration/test`, {}),
  integrationTypes: () => api<Page<IntegrationTypeInfo> | IntegrationTypeInfo[]>('GET', '/integration-types').then(itemsOf),
  crmFields: (projectId: string) => api<Page<CrmFieldInfo> | CrmFieldInfo[]>('GET', `${p(projectId)}/crm-fields`).then(itemsOf),

  listLeads: (projectId: string, query: LeadQuery) => api<Page<Lead>>('GET', `${p(projectId)}/leads${leadQueryString(query)}`),
  getLead: (projectId: string, leadId: string) => api<LeadWithAttempts>('GET', `${p(projectId)}/leads/${encodeURIComponent(leadId)}`),
  resendLead: (projectId: string, leadId: string) => api<unknown>('POST', `${p(projectId)}/leads/${encodeURIComponent(leadId)}/resend`, {}),
  /** The selected leads (`ids`), or every lead with that status: `{queued}` says how many were queued. */
  resendLeads: (projectId: string, which: { ids: string[] } | { status: 'failed' }) => api<{ queued: number }>('POST', `${p(projectId)}/leads/resend`, which),
  /** The leads page's summary; `offset`: the viewer's minutes from UTC, so days start at their midnight. */
  leadsSummary: (projectId: string) => api<LeadsSummary>('GET', `${p(projectId)}/leads/summary?offset=${-new Date().getTimezoneOffset()}`),
};

/** Plain lists come as JSON arrays; an {items} envelope is accepted too, so the UI does not break on either. */
function itemsOf<T>(data: Page<T> | T[]): T[] {
  return Array.isArray(data) ? data : (data?.items ?? []);
}

export type { LeadsSummary };
