// The site config: cached in localStorage for min(configTtl, 300) s, refreshed at once on a new visit,
// and kept (even stale) when the collector cannot be reached, so forms are still caught.
import type { SiteConfig } from '../shared/schemas.ts';
import type { Log } from './log.ts';
import type { SafeStorage } from './storage.ts';
import type { Net } from './transport.ts';

const KEY = 'lr_config';

/**
 * Calls `use` at once with the cached config (if any), then with the fresh one when it had to be fetched from
 * `url`. Dependencies are positional, as everywhere in the snippet (deps objects cost bytes).
 */
export async function loadConfig(url: string, net: Net, storage: SafeStorage, now: () => number, log: Log, newVisit: boolean, use: (c: SiteConfig) => void): Promise<void> {
  const cached = storage.get<{ at: number; config: SiteConfig }>(KEY);
  if (cached) {
    use(cached.config);
    if (!newVisit && now() - cached.at < Math.min(cached.config.settings.configTtl, 300) * 1000) return;
  }
  try {
    // no-cache: the browser revalidates with its own If-None-Match (the collector's ETag), no preflight.
    const res = await net.fetch!(url, { cache: 'no-cache' });
    if (!res.ok) throw res.status;
    const config = (await res.json()) as SiteConfig;
    storage.set(KEY, { at: now(), config });
    log('config', config);
    use(config);
  } catch (e) {
    log('config failed', e);
  }
}
