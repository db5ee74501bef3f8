// Storage that never throws: localStorage/sessionStorage can be missing or forbidden (privacy modes).
export interface SafeStorage {
  get<T>(key: string): T | null;
  set(key: string, value: unknown): void;
}

export function safeStorage(open: () => Storage): SafeStorage {
  return {
    get(key) {
      try {
        // JSON.parse(null) is null: a missing key needs no test.
        return JSON.parse(open().getItem(key)!);
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

export function setCookie(doc: Document, name: string, value: unknown, days: number): void {
  try {
    // Our values are numbers (nothing to encode); SameSite=Lax is the browsers' default.
    doc.cookie = `${name}=${value};path=/;max-age=${days * 86400}`;
  } catch {
    // See getCookie.
  }
}
