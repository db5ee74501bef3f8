// The app shell: login, the project switcher, the section navigation, and the page for the route.
import { useEffect, useState } from 'preact/hooks';
import type { Project } from '../../shared/schemas.ts';
import { adminApi, clearToken, setToken, setUnauthorizedHandler, whoAmI, type SessionInfo } from './api.ts';
import { can, setCurrentRole, type Role } from './lib/access.ts';
import { messages } from './lib/i18n.ts';
import { LoginPage } from './login-page.tsx';
import { ActivityPage } from './pages/activity-page.tsx';
import { ProjectPage } from './pages/project-page.tsx';
import { TeamPage } from './pages/team-page.tsx';
import { parseRoute, paths, sectionOf, type Route, type Section } from './lib/routes.ts';
import { ErrorMessage, LanguageSwitch, Link, Loading, navigate, useLanguage, usePathname } from './ui.tsx';
import { FormsPage } from './pages/forms-page.tsx';
import { FormEditorPage } from './pages/form-editor-page.tsx';
import { LeadsPage } from './pages/leads-page.tsx';
import { LeadPage } from './pages/lead-page.tsx';
import { IntegrationPage } from './pages/integration-page.tsx';
import { InstallPage } from './pages/install-page.tsx';
import { PrivacyPage, privacyNavLabel } from './pages/privacy-page.tsx';

/** Who is logged in: a user by session cookie, or the admin token kept in this tab. */
type Auth = { role: Role; email: string | null };

const t = messages({
  en: {
    loginAgain: 'Your access has ended (you logged out elsewhere, the session expired, or the admin token changed). Please log in again.',
    loggedOut: 'You are logged out.',
    logOut: 'Log out',
    forms: 'Forms',
    leads: 'Leads',
    integration: 'Integration',
    install: 'Install',
    project: 'Project',
    chooseProject: 'Choose a project',
    newProjectOption: '+ New project…',
    sections: 'Sections',
    notFound: 'Page not found',
    nothingHere: 'There is nothing at this address.',
    goStart: 'Go to the start page',
    projectNameEmpty: 'Project name: enter a name, e.g. the site it is for.',
    newProject: 'New project',
    projectIntro: 'A project is one site (or a group of sites) with its forms, its leads and its CRM.',
    projectName: 'Project name',
    projectPlaceholder: 'My shop',
    createProject: 'Create project',
    team: 'Team',
    activity: 'Activity',
    byToken: 'admin token',
  },
  ru: {
    loginAgain: 'Доступ закончился (вы вышли в другом месте, сеанс истёк или токен администратора сменили). Войдите снова.',
    loggedOut: 'Вы вышли.',
    logOut: 'Выйти',
    forms: 'Формы',
    leads: 'Заявки',
    integration: 'Интеграция',
    install: 'Установка',
    project: 'Проект',
    chooseProject: 'Выберите проект',
    newProjectOption: '+ Новый проект…',
    sections: 'Разделы',
    notFound: 'Страница не найдена',
    nothingHere: 'По этому адресу ничего нет.',
    goStart: 'Перейти на начальную страницу',
    projectNameEmpty: 'Название проекта: введите название, например сайт, для которого он.',
    newProject: 'Новый проект',
    projectIntro: 'Проект — это один сайт (или группа сайтов) с его формами, заявками и CRM.',
    projectName: 'Название проекта',
    projectPlaceholder: 'Мой магазин',
    createProject: 'Создать проект',
    team: 'Команда',
    activity: 'Журнал',
    byToken: 'токен администратора',
  },
});

export function App() {
  // A language switch re-renders the whole app: every text is looked up while rendering.
  useLanguage();
  const [auth, setAuth] = useState<Auth | null | 'checking'>('checking');
  const [loginMessage, setLoginMessage] = useState<'loginAgain' | 'loggedOut' | ''>('');
  const enter = (info: SessionInfo) => {
    const next = 'user' in info ? { role: info.user.role, email: info.user.email } : { role: info.role, email: null };
    setCurrentRole(next.role);
    setAuth(next);
  };
  useEffect(() => {
    setUnauthorizedHandler(() => {
      clearToken();
      setAuth(null);
      // In plain words, in the chosen language (the server's 401 text names HTTP headers).
      setLoginMessage('loginAgain');
    });
    // A token kept in this tab, or a session cookie from an earlier login.
    void whoAmI().then((info) => {
      if (info) enter(info);
      else {
        clearToken();
        setAuth(null);
      }
    });
  }, []);
  if (auth === 'checking') return <Loading />;
  if (!auth) {
    return (
      <LoginPage
        message={loginMessage ? t(loginMessage) : ''}
        onSession={(info) => {
          clearToken();
          setLoginMessage('');
          enter(info);
        }}
        onToken={async (token) => {
          const info = await whoAmI(token);
          if (!info) return false;
          setToken(token);
          setLoginMessage('');
          enter(info);
          return true;
        }}
      />
    );
  }
  return (
    <Shell
      email={auth.email}
      onLogout={async () => {
        clearToken();
        await adminApi.logout().catch(() => undefined);
        setCurrentRole('viewer');
        setAuth(null);
        setLoginMessage('loggedOut');
      }}
    />
  );
}

/** The project's sections, in the order of their tabs (labels in the chosen language). */
const SECTIONS: Section[] = ['forms', 'leads', 'integration', 'install', 'privacy'];
const sectionName = (s: Section): string => (s === 'privacy' ? privacyNavLabel() : t(s));

const LAST_PROJECT_KEY = 'leadrelay.project';

function Shell({ onLogout, email }: { onLogout: () => void; email: string | null }) {
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

function Page({
  route,
  project,
  projects,
  onProjectCreated,
}: {
  route: Route;
  project: Project | null;
  projects: Project[];
  onProjectCreated: () => Promise<void>;
}) {
  switch (route.page) {
    case 'home':
      return <Loading />;
    case 'new-project':
      return <NewProjectPage onCreated={onProjectCreated} />;
    case 'forms':
      return <FormsPage projectId={route.projectId} />;
    case 'form':
      return <FormEditorPage projectId={route.projectId} formId={route.formId} key={`${route.projectId}/${route.formId ?? 'new'}`} />;
    case 'leads':
      return <LeadsPage projectId={route.projectId} key={route.projectId} />;
    case 'lead':
      return <LeadPage projectId={route.projectId} leadId={route.leadId} key={route.leadId} />;
    case 'integration':
      return <IntegrationPage projectId={route.projectId} key={route.projectId} />;
    case 'install':
      return <InstallPage projectId={route.projectId} project={project} />;
    case 'privacy':
      return <PrivacyPage projectId={route.projectId} key={route.projectId} />;
    case 'project':
      return <ProjectPage projectId={route.projectId} key={route.projectId} onChanged={onProjectCreated} />;
    case 'team':
      return <TeamPage />;
    case 'activity':
      return <ActivityPage projects={projects} />;
    case 'not-found':
      return (
        <section>
          <h1>{t('notFound')}</h1>
          <p>
            {t('nothingHere')} <Link href={paths.home()}>{t('goStart')}</Link>.
          </p>
        </section>
      );
  }
}

function NewProjectPage({ onCreated }: { onCreated: () => Promise<void> }) {
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
