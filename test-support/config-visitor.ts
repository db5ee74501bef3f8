// A visitor's page views of the site config, in Node: the snippet's own loadConfig with a manual clock,
// localStorage in memory, and a browser HTTP cache that revalidates with If-None-Match as `cache:
// 'no-cache'` makes Chromium do. Requests and bytes are counted, so tests can check freshness without
// sleeping and the bench (bench/config-freshness.ts) can price it per page view.
import type { FastifyInstance } from 'fastify';
import type { SiteConfig } from '../shared/form-config.ts';
import { loadConfig } from '../snippet/config.ts';
import type { SafeStorage } from '../snippet/safe-storage.ts';

export interface ConfigVisitor {
  /** One page view at `at` ms: the config the snippet ends up using (or null). */
  view(at: number, fresh?: boolean): Promise<SiteConfig | null>;
  requests: number;
  /** Response bytes on the wire: status line, headers and body. */
  bytes: number;
}

/** `maxAgeS` replaces the snippet's cap, to price another policy (the old 300 s) in the same run. */
export function configVisitor(app: FastifyInstance, projectId: string, maxAgeS?: number): ConfigVisitor {
  const data = new Map<string, string>();
  const storage: SafeStorage = {
    get: <T>(k: string) => (data.has(k) ? (JSON.parse(data.get(k)!) as T) : null),
    set: (k, v) => void data.set(k, JSON.stringify(v)),
  };
  let httpCache: { etag: string; body: string } | null = null;
  let clock = 0;
  const v: ConfigVisitor = {
    requests: 0,
    bytes: 0,
    async view(at, fresh = false) {
      clock = at;
      let seen: SiteConfig | null = null;
      const fetch = (async (url: string) => {
        v.requests++;
        const res = await app.inject({ url: new URL(url).pathname, headers: httpCache ? { 'if-none-match': httpCache.etag } : {} });
        v.bytes += res.rawPayload.length + Object.entries(res.headers).reduce((n, [k, h]) => n + k.length + String(h).length + 4, 17);
        if (res.statusCode === 304 && httpCache) return new Response(httpCache.body);
        if (res.headers.etag) httpCache = { etag: String(res.headers.etag), body: res.body };
        return new Response(res.body, { status: res.statusCode });
      }) as typeof globalThis.fetch;
      const stored = maxAgeS === undefined ? storage : capped(storage, maxAgeS);
      await loadConfig(`http://collector/api/site/1.0/${projectId}/config`, `lr_config_${projectId}`, { fetch, navigator: {} }, stored, () => clock, () => {}, fresh, (c) => (seen = c));
      return seen;
    },
  };
  return v;
}

/** The cache as an older snippet kept it: `at` read back shifted so that the 60 s cap acts as `maxAgeS`. */
function capped(storage: SafeStorage, maxAgeS: number): SafeStorage {
  const shift = (maxAgeS - 60) * 1000;
  return {
    get: <T>(k: string) => {
      const e = storage.get<{ at: number; config: SiteConfig }>(k);
      return (e ? { ...e, at: e.at + shift } : null) as T;
    },
    set: (k, value) => storage.set(k, value),
  };
}
