// The few admin API calls the QA kit makes (docs/http-api.md "Admin API"), with each way the collector
// can be unreachable or refuse turned into a message that says what to fix.
import type { FormConfig } from '../shared/form-config.ts';
import type { Lead } from '../shared/schemas.ts';

/** The check could not run (exit code 2): no collector, a bad token, an unknown project, no browser… */
export class CannotRunError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'CannotRunError';
  }
}

export interface AdminTarget {
  /** The collector's origin, e.g. http://127.0.0.1:8787 (LEADRELAY_URL). */
  url: string;
  /** The admin token (LEADRELAY_TOKEN). */
  token: string;
  /** The project id (LEADRELAY_PROJECT). */
  project: string;
}

export function adminClient(target: AdminTarget) {
  const origin = target.url.replace(/\/+$/, '');
  const projectPath = `${origin}/api/v1/projects/${encodeURIComponent(target.project)}`;

  async function get<T>(url: string): Promise<T> {
    let res: Response;
    try {
      res = await fetch(url, { headers: { authorization: `Bearer ${target.token}` }, signal: AbortSignal.timeout(10_000) });
    } catch (err) {
      throw new CannotRunError(`No leadrelay collector answers at ${origin} (${(err as Error).cause ?? (err as Error).message}). Check LEADRELAY_URL.`);
    }
    const type = res.headers.get('content-type') ?? '';
    const notCollector = () =>
      new CannotRunError(`${origin} answered ${res.status}${type ? ` (${type})` : ''} to ${new URL(url).pathname}: is it a leadrelay collector? Check LEADRELAY_URL.`);
    // Every answer of the admin API, errors included, is JSON.
    if (!type.includes('application/json')) throw notCollector();
    if (res.status === 401) throw new CannotRunError(`The collector at ${origin} did not accept the admin token. Check LEADRELAY_TOKEN.`);
    if (res.status === 403) throw new CannotRunError(`The admin token may not read project ${target.project}. Check LEADRELAY_TOKEN.`);
    if (res.status === 404 && url.startsWith(projectPath)) {
      throw new CannotRunError(`The collector at ${origin} has no project "${target.project}". Check LEADRELAY_PROJECT.`);
    }
    if (!res.ok) throw notCollector();
    return (await res.json()) as T;
  }

  return {
    origin,
    /** Checks the collector, the token and the project at once. */
    async project(): Promise<{ id: string; name: string }> {
      return get(projectPath);
    },
    async forms(): Promise<FormConfig[]> {
      return get(`${projectPath}/forms`);
    },
    /** Test leads, newest first. */
    async testLeads(limit = 50): Promise<Lead[]> {
      return (await get<{ items: Lead[] }>(`${projectPath}/leads?status=test&limit=${limit}`)).items;
    },
  };
}

export type AdminClient = ReturnType<typeof adminClient>;
