// The public site config (GET …/config, docs/http-api.md "Site API"), built once and kept for a moment: every page view of
// every site asks for it, and building it (forms, validation, JSON, ETag) was most of its cost.
import { createHash } from 'node:crypto';
import { PublicFormConfig, type FormConfig, type SiteConfig } from '../../shared/form-config.ts';
import type { Store } from './store/types.ts';

/**
 * The browser may keep a config this long before it revalidates with its ETag (docs/http-api.md "Site API"):
 * a form change saved in the admin reaches a visitor's next page view within a minute.
 */
export const CONFIG_TTL_SECONDS = 60;

export interface BuiltConfig {
  body: string;
  etag: string;
}

/**
 * The form as sites get it when the project has js rules switched off: its js rules are left out,
 * so no admin-supplied JavaScript reaches a page (their fields arrive empty; a required one is not
 * checked, so no lead is lost to a rule that cannot run).
 */
export function withoutJsRules(form: FormConfig): FormConfig {
  const fields = Object.fromEntries(Object.entries(form.fields).filter(([, rule]) => rule && rule.source !== 'js'));
  return { ...form, fields, extraFields: form.extraFields.filter((rule) => rule.source !== 'js') };
}

/**
 * Built configs by project. A change made through this process's admin API drops the entry at once;
 * other processes sharing PostgreSQL see it within `ttlMs`.
 */
export function createSiteConfigCache(store: Store, now: () => number, ttlMs = 2000) {
  const cache = new Map<string, BuiltConfig & { until: number }>();

  async function build(projectId: string): Promise<BuiltConfig | null> {
    if (!(await store.getProject(projectId))) return null;
    const { jsRules, cookies } = await store.getProjectSettings(projectId);
    const forms = (await store.listForms(projectId))
      .filter((f) => f.enabled)
      .map((f) => PublicFormConfig.parse(jsRules ? f : withoutJsRules(f)));
    const config: SiteConfig = { forms, settings: { configTtl: CONFIG_TTL_SECONDS, ...(cookies ? {} : { cookies: false }) } };
    const body = JSON.stringify(config);
    return { body, etag: `"${createHash('sha1').update(body).digest('base64url')}"` };
  }

  return {
    /** The built config when a fresh one is kept (no promise: the revalidation path answers synchronously), else null. */
    cached(projectId: string): BuiltConfig | null {
      const hit = cache.get(projectId);
      return hit && hit.until > now() ? hit : null;
    },
    async get(projectId: string): Promise<BuiltConfig | null> {
      const hit = cache.get(projectId);
      if (hit && hit.until > now()) return hit;
      const built = await build(projectId);
      if (built) cache.set(projectId, { ...built, until: now() + ttlMs });
      else cache.delete(projectId);
      return built;
    },
    invalidate(projectId: string): void {
      cache.delete(projectId);
    },
  };
}

export type SiteConfigCache = ReturnType<typeof createSiteConfigCache>;
