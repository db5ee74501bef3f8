// PostgreSQL's text cannot hold U+0000 (SQLite's can), so a NUL a client sent made the write fail
// with a 500, and the snippet retried that lead forever. Every text handed to a store loses its NULs
// here, for both stores alike: what is stored, and what is looked up, is the same everywhere.

/** `value` with every NUL removed from its strings, object keys included; untouched when it has none. */
export function withoutNul<T>(value: T): T {
  return hasNul(value) ? (strip(value) as T) : value;
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
  if (value === null || typeof value !== 'object') return false;
  const proto = Object.getPrototypeOf(value) as unknown;
  return proto === Object.prototype || proto === null;
}

function hasNul(value: unknown): boolean {
  if (typeof value === 'string') return value.includes('\u0000');
  if (Array.isArray(value)) return value.some(hasNul);
  if (isPlainObject(value)) {
    for (const key of Object.keys(value)) if (key.includes('\u0000') || hasNul(value[key])) return true;
  }
  return false;
}

function strip(value: unknown): unknown {
  if (typeof value === 'string') return value.replaceAll('\u0000', '');
  if (Array.isArray(value)) return value.map(strip);
  if (isPlainObject(value)) {
    const out: Record<string, unknown> = Object.create(Object.getPrototypeOf(value) as object | null) as Record<string, unknown>;
    // defineProperty: a `__proto__` key stays an own key, never the copy's prototype.
    for (const key of Object.keys(value)) {
      Object.defineProperty(out, key.replaceAll('\u0000', ''), { value: strip(value[key]), enumerable: true, writable: true, configurable: true });
    }
    return out;
  }
  return value;
}

/** The store with every argument of every method passed through withoutNul. */
export function stripNulArguments<S extends object>(store: S): S {
  const guarded: Record<string, unknown> = {};
  for (const [name, member] of Object.entries(store)) {
    guarded[name] =
      typeof member === 'function'
        ? (...args: unknown[]) => (member as (...a: unknown[]) => unknown).apply(store, args.map((a) => withoutNul(a)))
        : member;
  }
  return guarded as S;
}
