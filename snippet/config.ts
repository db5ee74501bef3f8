// The site config: cached in localStorage for min(configTtl, 60) s, so a change saved in the admin reaches a
// visitor's next page view within a minute (ARCHITECTURE.md "Wire contract"); refreshed at once on a new visit
// and on test, debug and pick page views, and kept (even stale) when the collector cannot be reached, so forms are still caught.
import { M } from './messages.ts';
import type { SiteConfig } from '../shared/form-config.ts';
import type { Log } from './log.ts';
import type { SafeStorage } from './safe-storage.ts';
import type { Net } from './transport.ts';

type Untrusted = { settings: { configTtl: number }; forms: { fields: unknown; extraFields: { map?: unknown }; sites: { map?: unknown } }[] };

/**
 * The shape the snippet relies on (a form's fields, extra fields and sites). The cache can hold anything
 * (another script's key, a broken write), and a bad config would throw on every event: it is refused as a
 * whole, never used in part. Throws on some garbage (a property of null): call it inside a try.
 */
export const validConfig = (c: Untrusted): unknown => c.settings.configTtl >= 0 && c.forms.every((f) => f.fields && f.extraFields.map && f.sites.map);

/**
 * Calls `use` at once with the cached config (if valid), then with the fresh one when it had to be fetched from
 * `url`. `key` is the project's own localStorage key. Never rejects. Dependencies are positional, as everywhere
 * in the snippet (deps objects cost bytes).
 */
export async function loadConfig(url: string, key: string, net: Net, storage: SafeStorage, now: () => number, log: Log, fresh: unknown, use: (c: SiteConfig) => void): Promise<void> {
  try {
    const cached = storage.get<{ at: number; config: SiteConfig }>(key);
    // A property read of garbage throws: the catch below fetches a fresh config.
    if (cached && validConfig(cached.config)) {
      use(cached.config);
      if (!fresh && now() - cached.at < Math.min(cached.config.settings.configTtl, 60) * 1000) return;
    }
  } catch (e) {
    log(M.BadCachedConfig, e);
  }
  try {
    // no-cache: the browser revalidates with its own If-None-Match (the collector's ETag), no preflight.
    const res = await net.fetch!(url, { cache: 'no-cache' });
    if (!res.ok) throw res.status;
    const config = (await res.json()) as SiteConfig;
    if (!validConfig(config)) throw config;
    storage.set(key, { at: now(), config });
    log(M.Config, config);
    use(config);
  } catch (e) {
    log(M.ConfigFailed, e);
  }
}
