// The admin UI's languages: English and Russian. Each module keeps its own texts beside its code:
//   const t = messages({ en: { save: 'Save', saved: 'Saved {time}' }, ru: { save: 'Сохранить', saved: 'Сохранено {time}' } });
//   t('saved', { time })
// TypeScript makes both languages carry every key. The language comes from the user's choice
// (kept in localStorage), else the browser's language; `setLanguage` changes it and tells listeners.
export type Language = 'en' | 'ru';
export const LANGUAGES: readonly Language[] = ['en', 'ru'];
const STORAGE_KEY = 'leadrelay_admin_language';

let current: Language = detectLanguage();
const listeners = new Set<(language: Language) => void>();

function detectLanguage(): Language {
  try {
    const saved = globalThis.localStorage?.getItem(STORAGE_KEY);
    if (saved === 'en' || saved === 'ru') return saved;
  } catch {
    // storage blocked: fall through to the browser's language
  }
  const preferred = globalThis.navigator?.languages?.length ? globalThis.navigator.languages : [globalThis.navigator?.language ?? 'en'];
  for (const tag of preferred) {
    const base = String(tag).toLowerCase().split('-')[0];
    if (base === 'ru') return 'ru';
    if (base === 'en') return 'en';
  }
  return 'en';
}

export function language(): Language {
  return current;
}

/**
 * The BCP 47 tag for Intl formatting of dates and numbers: the browser's own when it is of the current
 * language (en-US keeps its month-first dates), else ru-RU or en-GB.
 */
export function locale(): string {
  const browser = globalThis.navigator?.language;
  if (browser && browser.toLowerCase().split('-')[0] === current) return browser;
  return current === 'ru' ? 'ru-RU' : 'en-GB';
}

export function setLanguage(next: Language): void {
  if (next === current) return;
  current = next;
  try {
    globalThis.localStorage?.setItem(STORAGE_KEY, next);
  } catch {
    // not kept: the choice lasts for this page only
  }
  if (globalThis.document) globalThis.document.documentElement.lang = next;
  for (const listener of listeners) listener(next);
}

export function onLanguageChange(listener: (language: Language) => void): () => void {
  listeners.add(listener);
  return () => listeners.delete(listener);
}

/** `{name}` placeholders filled from `vars`; an unknown one is left as written. */
function fill(text: string, vars?: Record<string, string | number>): string {
  if (!vars) return text;
  return text.replace(/\{(\w+)\}/g, (whole, name: string) => (name in vars ? String(vars[name]) : whole));
}

export function messages<K extends string>(texts: { en: Record<K, string>; ru: Record<K, string> }) {
  return (key: K, vars?: Record<string, string | number>): string => fill(texts[current][key] ?? texts.en[key], vars);
}
