// The Project page (README "Projects"): rename, the key for the proxy API with Copy and "New key", and
// delete with a confirmation that names what goes with the project. Owners change; others read.
import { useState } from 'preact/hooks';
import { adminApi } from '../api.ts';
import { can } from '../lib/access.ts';
import { locale, messages } from '../lib/i18n.ts';
import { paths } from '../lib/routes.ts';
import { ErrorMessage, Loading, navigate, useLoad } from '../ui.tsx';

const t = messages({
  en: {
    title: 'Project',
    name: 'Project name',
    rename: 'Rename',
    renamed: 'Renamed.',
    nameMissing: 'Project name: enter a name.',
    keyTitle: 'Project key',
    keyHint: 'Servers send leads to the proxy API with this key. Keep it private: anyone with it can add leads to this project.',
    copy: 'Copy',
    copied: 'Copied.',
    copyByHand: 'Press Ctrl+C (⌘C) to copy the selected text.',
    newKey: 'New key',
    newKeyConfirm: 'Make a new key? The current key stops working at once: every server that sends leads with it must get the new one.',
    newKeyDone: 'A new key is made; the old one no longer works.',
    deleteTitle: 'Delete the project',
    deleteHint: 'Deletes the project with its forms, integration, leads, visits and settings. This cannot be undone.',
    delete: 'Delete project',
    deleteConfirm: 'Delete the project “{name}” with its {forms} forms and {leads} leads, its integration, visits and settings? This cannot be undone.',
  },
  ru: {
    title: 'Проект',
    name: 'Название проекта',
    rename: 'Переименовать',
    renamed: 'Переименовано.',
    nameMissing: 'Название проекта: введите название.',
    keyTitle: 'Ключ проекта',
    keyHint: 'С этим ключом серверы отправляют заявки в прокси-API. Храните его в тайне: любой, у кого он есть, может добавлять заявки в проект.',
    copy: 'Копировать',
    copied: 'Скопировано.',
    copyByHand: 'Нажмите Ctrl+C (⌘C), чтобы скопировать выделенный текст.',
    newKey: 'Новый ключ',
    newKeyConfirm: 'Создать новый ключ? Текущий сразу перестанет работать: всем серверам, которые отправляют с ним заявки, нужен будет новый.',
    newKeyDone: 'Новый ключ создан; старый больше не работает.',
    deleteTitle: 'Удалить проект',
    deleteHint: 'Удаляет проект с его формами, интеграцией, заявками, визитами и настройками. Отменить нельзя.',
    delete: 'Удалить проект',
    deleteConfirm: 'Удалить проект «{name}» с его формами ({forms}) и заявками ({leads}), интеграцией, визитами и настройками? Отменить нельзя.',
  },
});

export function ProjectPage({ projectId, onChanged }: { projectId: string; onChanged: () => Promise<void> }) {
  const [loaded, reload] = useLoad(() => adminApi.getProject(projectId), projectId);
  const [name, setName] = useState<string | null>(null);
  const [notice, setNotice] = useState('');
  const [error, setError] = useState<unknown>(null);
  const [busy, setBusy] = useState(false);
  if (loaded.state === 'loading') return <Loading />;
  if (loaded.state === 'error') return <ErrorMessage error={loaded.error} />;
  const project = loaded.data;
  const owner = can('owner');

  const act = async (work: () => Promise<string | null>) => {
    setBusy(true);
    setError(null);
    setNotice('');
    try {
      const done = await work();
      if (done) setNotice(done);
    } catch (err) {
      setError(err);
    } finally {
      setBusy(false);
    }
  };
  const rename = (ev: Event) => {
    ev.preventDefault();
    const next = (name ?? project.name).trim();
    if (!next) return setError(new Error(t('nameMissing')));
    void act(async () => {
      await adminApi.renameProject(projectId, next);
      await Promise.all([reload(), onChanged()]);
      setName(null);
      return t('renamed');
    });
  };
  const newKey = () =>
    act(async () => {
      if (!confirm(t('newKeyConfirm'))) return null;
      await adminApi.newProjectKey(projectId);
      await Promise.all([reload(), onChanged()]);
      return t('newKeyDone');
    });
  const remove = () =>
    act(async () => {
      const counts = await adminApi.projectCounts(projectId);
      const n = (v: number) => v.toLocaleString(locale());
      if (!confirm(t('deleteConfirm', { name: project.name, forms: n(counts.forms), leads: n(counts.leads) }))) return null;
      await adminApi.deleteProject(projectId);
      sessionStorage.removeItem('leadrelay.project');
      await onChanged();
      navigate(paths.home());
      return null;
    });

  return (
    <section>
      <h1>{t('title')}</h1>
      <ErrorMessage error={error} />
      {notice && (
        <p class="message message-ok" role="status">
          {notice}
        </p>
      )}
      <form class="card narrow" onSubmit={rename} noValidate>
        <label for="project-rename">{t('name')}</label>
        <input id="project-rename" value={name ?? project.name} readOnly={!owner} onInput={(e) => setName(e.currentTarget.value)} />
        {owner && (
          <button type="submit" class="primary" disabled={busy}>
            {t('rename')}
          </button>
        )}
      </form>
      <div class="card">
        <h2>{t('keyTitle')}</h2>
        <KeyBox value={project.key} />
        <p class="hint">{t('keyHint')}</p>
        {owner && (
          <button type="button" onClick={newKey} disabled={busy}>
            {t('newKey')}
          </button>
        )}
      </div>
      {owner && (
        <div class="card danger-zone">
          <h2>{t('deleteTitle')}</h2>
          <p>{t('deleteHint')}</p>
          <button type="button" class="danger" onClick={remove} disabled={busy}>
            {t('delete')}
          </button>
        </div>
      )}
    </section>
  );
}

function KeyBox({ value }: { value: string }) {
  const [copied, setCopied] = useState('');
  const copy = async () => {
    try {
      await navigator.clipboard.writeText(value);
      setCopied(t('copied'));
    } catch {
      const el = document.getElementById('project-key-value');
      if (el instanceof HTMLInputElement) el.select();
      setCopied(t('copyByHand'));
    }
  };
  return (
    <div class="copy-box">
      <label for="project-key-value">{t('keyTitle')}</label>
      <input id="project-key-value" class="mono" readOnly value={value} onFocus={(e) => e.currentTarget.select()} />
      <div class="form-actions">
        <button type="button" onClick={copy}>
          {t('copy')}
        </button>
        <span role="status" class="muted">
          {copied}
        </span>
      </div>
    </div>
  );
}
