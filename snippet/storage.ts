// Storage that never throws: localStorage/sessionStorage can be missing or forbidden (privacy modes).
export interface SafeStorage {
  get<T>(key: string): T | null;
  set(key: string, value: unknown): void;
}

export function safeStorage(open: () => Storage): SafeStorage {
  return {
    get(key) {
      try {
        const raw = open().getItem(key);
        return raw == null ? null : JSON.parse(raw);
      } catch {
        return null;
      }
    },
    set(key, value) {
      try {
        open().setItem(key, JSON.stringify(value));
      } catch {
        // Quota or privacy mode: the snippet works on, only without memory across pages.
      }
    },
  };
}

export function getCookie(doc: Document, name: string): string {
  try {
    const m = doc.cookie.match('(?:^|; )' + name + '=([^;]*)');
    return m ? decodeURIComponent(m[1]!) : '';
  } catch {
    // A sandboxed document throws on cookie access; a foreign cookie may not be URI-encoded.
    return '';
  }
}

export function setCookie(doc: Document, name: string, value: string, days: number): void {
  try {
    doc.cookie = `${name}=${encodeURIComponent(value)};path=/;max-age=${days * 86400};samesite=lax`;
  } catch {
    // See getCookie.
  }
}
