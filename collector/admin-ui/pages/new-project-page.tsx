// "New project": a name, then the project's Install page (the first thing a new project needs is its script tag).
import { useState } from 'preact/hooks';
import { adminApi } from '../api.ts';
import { messages } from '../lib/i18n.ts';
import { paths } from '../lib/routes.ts';
import { ErrorMessage, navigate } from '../ui.tsx';

const t = messages({
  en: {
    projectNameEmpty: 'Project name: enter a name, e.g. the site it is for.',
    newProject: 'New project',
    projectIntro: 'A project is one site (or a group of sites) with its forms, its leads and its CRM.',
    projectName: 'Project name',
    projectPlaceholder: 'My shop',
    createProject: 'Create project',
  },
  ru: {
    projectNameEmpty: 'Название проекта: введите название, например сайт, для которого он.',
    newProject: 'Новый проект',
    projectIntro: 'Проект — это один сайт (или группа сайтов) с его формами, заявками и CRM.',
    projectName: 'Название проекта',
    projectPlaceholder: 'Мой магазин',
    createProject: 'Создать проект',
  },
});

export function NewProjectPage({ onCreated }: { onCreated: () => Promise<void> }) {
  const [name, setName] = useState('');
  const [error, setError] = useState<unknown>(null);
  const [busy, setBusy] = useState(false);
  const submit = async (ev: Event) => {
    ev.preventDefault();
    if (!name.trim()) {
      setError(new Error(t('projectNameEmpty')));
      return;
    }
    setBusy(true);
    try {
      const project = await adminApi.createProject(name.trim());
      await onCreated();
      navigate(paths.section(project.id, 'install'));
    } catch (err) {
      setError(err);
    } finally {
      setBusy(false);
    }
  };
  return (
    <section>
      <h1>{t('newProject')}</h1>
      <p class="muted">{t('projectIntro')}</p>
      <form class="card narrow" onSubmit={submit} noValidate>
        <label for="project-name">{t('projectName')}</label>
        <input id="project-name" value={name} onInput={(e) => setName(e.currentTarget.value)} placeholder={t('projectPlaceholder')} />
        <ErrorMessage error={error} />
        <button type="submit" class="primary" disabled={busy}>
          {t('createProject')}
        </button>
      </form>
    </section>
  );
}
