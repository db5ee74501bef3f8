// The install page: the one script tag to paste on every page, and the proxy API key for servers.
import { useState } from 'preact/hooks';
import type { Project } from '../../../shared/schemas.ts';
import { adminApi } from '../api.ts';
import { can } from '../lib/access.ts';
import { messages } from '../lib/i18n.ts';
import { installSnippet } from '../lib/routes.ts';
import { errorText, useLoad } from '../ui.tsx';

const t = messages({
  en: {
    title: 'Install on your site',
    step1: '1. Paste this tag on every page',
    step1Text: 'Put it before {head} (or anywhere in the page) of every page of your site. Nothing else on the site changes.',
    scriptTag: 'Script tag',
    debugHint: 'To see what it does on a page, open the page with {param} at the end of its address and look at the browser console.',
    step2: "2. Add your site's forms",
    step2Text: 'Open the forms section, press "Add form" and give the CSS selector of each form whose leads you want.',
    server: 'From your own server (optional)',
    serverText: "Code that already sends leads to Roistat's proxy API works by changing the host to {origin}. Use this project key as key:",
    projectKey: 'Project key',
    keyHint: 'Keep it private: anyone with the key can add leads to this project.',
    savedOn: 'Saved: JavaScript rules run on your site.',
    savedOff: 'Saved: no JavaScript rule runs on your site.',
    jsTitle: 'JavaScript field rules',
    jsText:
      'A field rule of the kind JavaScript runs code written in this admin on every page of your site, like a tag manager does. So whoever can change forms here can run code on your site. Switch them off if you do not use them.',
    loading: 'Loading…',
    allowJs: 'Allow JavaScript field rules',
    jsHint: 'when off, sites get no JavaScript rule (within a few minutes, as their cached config expires): those fields arrive empty, and a required one is not checked',
    copied: 'Copied.',
    pressCopy: 'Press Ctrl+C (⌘C) to copy the selected text.',
    copy: 'Copy',
  },
  ru: {
    title: 'Установка на сайт',
    step1: '1. Вставьте этот тег на каждую страницу',
    step1Text: 'Поставьте его перед {head} (или в любое место страницы) на каждой странице сайта. Больше на сайте ничего не меняется.',
    scriptTag: 'Тег скрипта',
    debugHint: 'Чтобы увидеть, что он делает на странице, откройте её с {param} в конце адреса и посмотрите консоль браузера.',
    step2: '2. Добавьте формы сайта',
    step2Text: 'Откройте раздел форм, нажмите «Добавить форму» и укажите CSS-селектор каждой формы, заявки с которой вам нужны.',
    server: 'Со своего сервера (необязательно)',
    serverText: 'Код, который уже отправляет заявки в прокси-API Roistat, заработает, если заменить хост на {origin}. Укажите этот ключ проекта как key:',
    projectKey: 'Ключ проекта',
    keyHint: 'Не раскрывайте его: любой, у кого есть ключ, может добавлять заявки в этот проект.',
    savedOn: 'Сохранено: JavaScript-правила работают на вашем сайте.',
    savedOff: 'Сохранено: JavaScript-правила на вашем сайте не работают.',
    jsTitle: 'JavaScript-правила полей',
    jsText:
      'Правило поля вида JavaScript выполняет код, написанный в этой админке, на каждой странице вашего сайта — как менеджер тегов. Значит, любой, кто может менять здесь формы, может запускать код на вашем сайте. Выключите их, если не пользуетесь.',
    loading: 'Загрузка…',
    allowJs: 'Разрешить JavaScript-правила полей',
    jsHint: 'когда выключено, сайты не получают JavaScript-правил (в течение нескольких минут, пока истекает их кэш): эти поля приходят пустыми, а обязательные не проверяются',
    copied: 'Скопировано.',
    pressCopy: 'Нажмите Ctrl+C (⌘C), чтобы скопировать выделенный текст.',
    copy: 'Копировать',
  },
});

export function InstallPage({ projectId, project }: { projectId: string; project: Project | null }) {
  // The server knows PUBLIC_URL (the collector's address as sites reach it); until it answers, this page's origin.
  const [install] = useLoad(() => adminApi.install(projectId), projectId);
  const origin = install.state === 'ready' ? install.data.publicUrl : location.origin;
  const snippet = installSnippet(origin, projectId);
  return (
    <section>
      <h1>{t('title')}</h1>
      <div class="card">
        <h2>{t('step1')}</h2>
        <p>{t('step1Text', { head: '</head>' })}</p>
        <CopyBox id="install-snippet" label={t('scriptTag')} text={snippet} copyButton />
        <p class="hint">{t('debugHint', { param: '?leadrelay_debug=1' })}</p>
      </div>
      <div class="card">
        <h2>{t('step2')}</h2>
        <p>{t('step2Text')}</p>
      </div>
      {/* Changing a project setting is an owner's (README "Users and roles"). */}
      {can('owner') && <JsRulesSwitch projectId={projectId} />}
      {project && (
        <div class="card">
          <h2>{t('server')}</h2>
          <p>{t('serverText', { origin })}</p>
          <CopyBox id="project-key" label={t('projectKey')} text={project.key} />
          <p class="hint">{t('keyHint')}</p>
        </div>
      )}
    </section>
  );
}

/**
 * The project's switch for JavaScript field rules. They run code written here on every page of the
 * site, like a tag manager, so whoever may change forms may run code on the site: the owner decides.
 */
function JsRulesSwitch({ projectId }: { projectId: string }) {
  const [loaded] = useLoad(() => adminApi.getProject(projectId), projectId);
  const [jsRules, setJsRules] = useState<boolean | null>(null);
  const [status, setStatus] = useState('');
  const [busy, setBusy] = useState(false);
  const current = jsRules ?? (loaded.state === 'ready' ? loaded.data.jsRules : null);
  const change = async (on: boolean) => {
    const before = current;
    // The box shows the choice at once; a refusal puts it back.
    setJsRules(on);
    setBusy(true);
    setStatus('');
    try {
      const saved = await adminApi.putProjectSettings(projectId, { jsRules: on });
      setJsRules(saved.jsRules);
      setStatus(saved.jsRules ? t('savedOn') : t('savedOff'));
    } catch (err) {
      setJsRules(before);
      setStatus(errorText(err));
    } finally {
      setBusy(false);
    }
  };
  return (
    <div class="card">
      <h2>{t('jsTitle')}</h2>
      <p>{t('jsText')}</p>
      {current === null ? (
        <p class="muted">{loaded.state === 'error' ? errorText(loaded.error) : t('loading')}</p>
      ) : (
        <div class="row check">
          <input id="js-rules" type="checkbox" checked={current} disabled={busy} onChange={(e) => void change(e.currentTarget.checked)} aria-describedby="js-rules-hint" />
          <label for="js-rules">{t('allowJs')}</label>
          <span class="hint" id="js-rules-hint">
            {t('jsHint')}
          </span>
        </div>
      )}
      <p role="status" class="muted">
        {status}
      </p>
    </div>
  );
}

/** A read-only text that selects itself on focus; with `copyButton`, a "Copy" button too (one per page, so its name stays unique). */
function CopyBox({ id, label, text, copyButton = false }: { id: string; label: string; text: string; copyButton?: boolean }) {
  const [copied, setCopied] = useState('');
  const copy = async () => {
    try {
      await navigator.clipboard.writeText(text);
      setCopied(t('copied'));
    } catch {
      // No clipboard permission (e.g. not https): select the text so Ctrl+C works.
      const el = document.getElementById(id);
      if (el instanceof HTMLTextAreaElement) el.select();
      setCopied(t('pressCopy'));
    }
  };
  return (
    <div class="copy-box">
      <label for={id}>{label}</label>
      <textarea id={id} readOnly rows={2} class="mono" value={text} onFocus={(e) => e.currentTarget.select()} />
      {copyButton && (
        <div class="form-actions">
          <button type="button" onClick={copy}>
            {t('copy')}
          </button>
          <span role="status" class="muted">
            {copied}
          </span>
        </div>
      )}
    </div>
  );
}
