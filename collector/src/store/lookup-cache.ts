// The per-request lookups of the public routes (the project by id or key, its settings, a form) and
// of the delivery worker (the project's integration), kept in
// memory where this process is the only writer of the database: SQLite, whose file one collector
// process owns. Every change this process makes to those tables drops the whole cache when it
// commits, so no answer is ever stale there. PostgreSQL, with several processes on one database,
// keeps nothing: a change made on one must hold on every other at once (a new key, a deletion).
// See docs/architecture.md "Per-request lookups".

/** How long an entry lives even without a change (a safety net: nothing else writes the file). */
export const LOOKUP_TTL_MS = 2000;
/** Entries kept at most; past it the cache starts over (unknown ids cost one read each, not memory). */
export const LOOKUP_MAX_ENTRIES = 10_000;

export interface LookupCache {
  /** The value under the key: the kept one while it is fresh, else what `load` gives (kept then). */
  get<T>(key: string, load: () => Promise<T>): Promise<T>;
  /** Drops every entry (after a change to projects, settings, forms or the integration). */
  clear(): void;
}

/** A cache that keeps nothing: every lookup reads the database. */
export const noLookupCache: LookupCache = { get: (_key, load) => load(), clear() {} };

export function createLookupCache(now: () => number = () => performance.now(), ttlMs = LOOKUP_TTL_MS, maxEntries = LOOKUP_MAX_ENTRIES): LookupCache {
  const entries = new Map<string, { value: unknown; until: number }>();
  // A load that began before a change must not keep what it read before that change.
  let generation = 0;
  return {
    async get<T>(key: string, load: () => Promise<T>): Promise<T> {
      const hit = entries.get(key);
      if (hit && hit.until > now()) return hit.value as T;
      const started = generation;
      const value = await load();
      if (started === generation) {
        if (entries.size >= maxEntries) entries.clear();
        entries.set(key, { value, until: now() + ttlMs });
      }
      return value;
    },
    clear() {
      generation += 1;
      entries.clear();
    },
  };
}
