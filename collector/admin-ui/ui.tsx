// Small shared pieces: history navigation, links, messages, the language switch, and a loader hook.
import type { ComponentChildren } from 'preact';
import { useEffect, useRef, useState } from 'preact/hooks';
import { ApiError } from './api.ts';
import { LANGUAGES, language, messages, onLanguageChange, setLanguage } from './lib/i18n.ts';

const t = messages({
  en: { dismiss: 'Dismiss', loading: 'Loading…', languages: 'Language', en: 'English', ru: 'Russian' },
  ru: { dismiss: 'Скрыть', loading: 'Загрузка…', languages: 'Язык', en: 'Английский', ru: 'Русский' },
});

const listeners = new Set<() => void>();

export function navigate(path: string, replace = false): void {
  if (replace) history.replaceState(null, '', path);
  else history.pushState(null, '', path);
  for (const l of listeners) l();
  window.scrollTo(0, 0);
}

export function usePathname(): string {
  const [path, setPath] = useState(location.pathname);
  useEffect(() => {
    const update = () => setPath(location.pathname);
    listeners.add(update);
    window.addEventListener('popstate', update);
    return () => {
      listeners.delete(update);
      window.removeEventListener('popstate', update);
    };
  }, []);
  return path;
}

export function Link(props: { href: string; children: ComponentChildren; class?: string; 'aria-current'?: 'page' | undefined; 'aria-label'?: string }) {
  const { href, children, ...rest } = props;
  return (
    <a
      href={href}
      {...rest}
      onClick={(ev) => {
        // Let the browser handle new-tab and similar clicks.
        if (ev.defaultPrevented || ev.button !== 0 || ev.metaKey || ev.ctrlKey || ev.shiftKey || ev.altKey) return;
        ev.preventDefault();
        navigate(href);
      }}
    >
      {children}
    </a>
  );
}

export function errorText(err: unknown): string {
  if (err instanceof ApiError) return err.message;
  if (err instanceof Error) return err.message;
  return String(err);
}

export function ErrorMessage({ error }: { error: unknown }) {
  if (!error) return null;
  return (
    <p class="message message-error" role="alert">
      {errorText(error)}
    </p>
  );
}

export function Notice({ children, onClose }: { children: ComponentChildren; onClose?: () => void }) {
  return (
    <div class="message message-ok" role="status">
      <span>{children}</span>
      {onClose && (
        <button type="button" class="link-button" onClick={onClose}>
          {t('dismiss')}
        </button>
      )}
    </div>
  );
}

export type Loaded<T> = { state: 'loading' } | { state: 'error'; error: unknown } | { state: 'ready'; data: T };

/** Loads data when `key` changes; `reload` fetches again without showing "Loading" over the old data. */
export function useLoad<T>(load: () => Promise<T>, key: string): [Loaded<T>, () => Promise<void>] {
  const [value, setValue] = useState<Loaded<T>>({ state: 'loading' });
  // An answer for a key that is no longer current (the user moved on) is dropped.
  const current = useRef(key);
  const run = async (k: string) => {
    try {
      const data = await load();
      if (current.current === k) setValue({ state: 'ready', data });
    } catch (error) {
      if (current.current === k) setValue({ state: 'error', error });
    }
  };
  useEffect(() => {
    current.current = key;
    setValue({ state: 'loading' });
    void run(key);
  }, [key]);
  return [value, () => run(key)];
}

export function Loading() {
  return <p class="muted">{t('loading')}</p>;
}

/** Runs fn every `ms` while the tab is visible; stops when the component goes away. */
export function usePolling(fn: () => void, ms: number, active: boolean): void {
  const latest = useRef(fn);
  latest.current = fn;
  useEffect(() => {
    if (!active) return;
    const id = setInterval(() => {
      if (document.visibilityState === 'visible') latest.current();
    }, ms);
    return () => clearInterval(id);
  }, [active, ms]);
}

/** Re-renders the caller when the language changes (the app's root uses it, so every page follows). */
export function useLanguage(): string {
  const [current, setCurrent] = useState(language());
  useEffect(() => onLanguageChange(setCurrent), []);
  return current;
}

/** EN / RU: on every page, the login included (collector/admin-ui/ARCHITECTURE.md "Languages"). */
export function LanguageSwitch() {
  const current = useLanguage();
  return (
    // biome-ignore lint/a11y/useSemanticElements: two toggle buttons, not form fields; a <fieldset> would bring its own border and layout
    <div class="language-switch" role="group" aria-label={t('languages')}>
      {LANGUAGES.map((lang) => (
        <button type="button" key={lang} lang={lang} aria-pressed={lang === current} title={t(lang)} onClick={() => setLanguage(lang)}>
          {lang.toUpperCase()}
        </button>
      ))}
    </div>
  );
}
