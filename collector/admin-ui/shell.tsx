// The layout of a logged-in page: the top bar (language, project switcher, owners' links, who is logged in,
// "Log out"), the project's section tabs, and the page for the address (router.tsx) below them.
import { useEffect, useState } from 'preact/hooks';
import type { Project } from '../../shared/schemas.ts';
import { adminApi } from './api.ts';
import { can } from './lib/access.ts';
import { messages } from './lib/i18n.ts';
import { parseRoute, paths, sectionOf, type Section } from './lib/routes.ts';
import { privacyNavLabel } from './pages/privacy-page.tsx';
import { Page } from './router.tsx';
import { ErrorMessage, LanguageSwitch, Link, Loading, navigate, usePathname } from './ui.tsx';

const t = messages({
  en: {
    logOut: 'Log out',
    forms: 'Forms',
    leads: 'Leads',
    integration: 'Integration',
    install: 'Install',
    project: 'Project',
    chooseProject: 'Choose a project',
    newProjectOption: '+ New project…',
    sections: 'Sections',
    team: 'Team',
    activity: 'Activity',
    byToken: 'admin token',
  },
  ru: {
    logOut: 'Выйти',
    forms: 'Формы',
    leads: 'Заявки',
    integration: 'Интеграция',
    install: 'Установка',
    project: 'Проект',
    chooseProject: 'Выберите проект',
    newProjectOption: '+ Новый проект…',
    sections: 'Разделы',
    team: 'Команда',
    activity: 'Журнал',
    byToken: 'токен администратора',
  },
});

/** The project's sections, in the order of their tabs (labels in the chosen language). */
const SECTIONS: Section[] = ['forms', 'leads', 'integration', 'install', 'privacy'];
const sectionName = (s: Section): string => (s === 'privacy' ? privacyNavLabel() : t(s));

const LAST_PROJECT_KEY = 'leadrelay.project';

export function Shell({ onLogout, email }: { onLogout: () => void; email: string | null }) {
  const pathname = usePathname();
  const route = parseRoute(pathname);
  const [projects, setProjects] = useState<Project[] | null>(null);
  const [loadError, setLoadError] = useState<unknown>(null);

  const loadProjects = async () => {
    try {
      setProjects(await adminApi.listProjects());
      setLoadError(null);
    } catch (err) {
      setLoadError(err);
    }
  };
  useEffect(() => {
    void loadProjects();
  }, []);

  const projectId = 'projectId' in route ? route.projectId : null;
  useEffect(() => {
    if (projectId) sessionStorage.setItem(LAST_PROJECT_KEY, projectId);
  }, [projectId]);

  // "/admin/": open the last project used in this tab, or the first, or ask for a new one.
  useEffect(() => {
    if (route.page !== 'home' || !projects) return;
    const last = sessionStorage.getItem(LAST_PROJECT_KEY);
    const target = projects.find((p) => p.id === last) ?? projects[0];
    navigate(target ? paths.section(target.id, 'forms') : paths.newProject(), true);
  }, [route.page, projects]);

  const section = sectionOf(route);
  const project = projects?.find((p) => p.id === projectId) ?? null;
  // The tab's title says where the marketer is (tabs and history entries are told apart by it).
  const sectionLabel = section ? sectionName(section) : undefined;
  useEffect(() => {
    document.title = [sectionLabel, project?.name, 'leadrelay'].filter(Boolean).join(' · ');
  }, [sectionLabel, project?.name]);

  return (
    <div class="shell">
      <header class="topbar">
        <span class="brand">leadrelay</span>
        <LanguageSwitch />
        {projects && projects.length > 0 && (
          <div class="project-switch">
            <label for="project-select">{t('project')}</label>
            <select
              id="project-select"
              value={projectId ?? ''}
              onChange={(e) => {
                const id = e.currentTarget.value;
                if (id === '__new') navigate(paths.newProject());
                else if (id) navigate(paths.section(id, section ?? 'forms'));
              }}
            >
              {!projectId && <option value="">{t('chooseProject')}</option>}
              {projects.map((p) => (
                <option value={p.id} key={p.id}>
                  {p.name}
                </option>
              ))}
              {can('owner') && <option value="__new">{t('newProjectOption')}</option>}
            </select>
          </div>
        )}
        {can('owner') && (
          <nav class="owner-links" aria-label={t('team')}>
            <Link href={paths.team()} aria-current={route.page === 'team' ? 'page' : undefined}>
              {t('team')}
            </Link>
            <Link href={paths.activity()} aria-current={route.page === 'activity' ? 'page' : undefined}>
              {t('activity')}
            </Link>
          </nav>
        )}
        <span class="muted who">{email ?? t('byToken')}</span>
        <button type="button" class="link-button logout" onClick={onLogout}>
          {t('logOut')}
        </button>
      </header>
      {projectId && (
        <nav class="sections" aria-label={t('sections')}>
          {SECTIONS.map((s) => (
            <Link key={s} href={paths.section(projectId, s)} class={s === section ? 'active' : ''} aria-current={s === section ? 'page' : undefined}>
              {sectionName(s)}
            </Link>
          ))}
          <Link href={paths.section(projectId, 'project')} class={section === 'project' ? 'active' : ''} aria-current={section === 'project' ? 'page' : undefined}>
            {t('project')}
          </Link>
        </nav>
      )}
      <main class="content">
        <ErrorMessage error={loadError} />
        {projects === null && !loadError ? <Loading /> : <Page route={route} project={project} projects={projects ?? []} onProjectCreated={loadProjects} />}
      </main>
    </div>
  );
}
