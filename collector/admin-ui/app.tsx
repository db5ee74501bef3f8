// The app shell: login, the project switcher, the section navigation, and the page for the route.
import { useEffect, useState } from 'preact/hooks';
import type { Project } from '../../shared/schemas.ts';
import { ApiError, adminApi, clearToken, getToken, setToken, setUnauthorizedHandler } from './api.ts';
import { messages } from './lib/i18n.ts';
import { parseRoute, paths, sectionOf, type Route, type Section } from './lib/routes.ts';
import { ErrorMessage, LanguageSwitch, Link, Loading, navigate, useLanguage, usePathname, errorText } from './ui.tsx';
import { FormsPage } from './pages/forms-page.tsx';
import { FormEditorPage } from './pages/form-editor-page.tsx';
import { LeadsPage } from './pages/leads-page.tsx';
import { LeadPage } from './pages/lead-page.tsx';
import { IntegrationPage } from './pages/integration-page.tsx';
import { InstallPage } from './pages/install-page.tsx';

const t = messages({
  en: {
    loginAgain: 'Your access has ended (the admin token was changed or is no longer accepted). Please log in again.',
    loggedOut: 'You are logged out.',
    tokenEmpty: 'Admin token: paste the token the collector printed when it started (or the ADMIN_TOKEN you set).',
    tokenWrong: 'That token was not accepted. Check that you pasted all of it: it is the token the collector printed when it started (or the ADMIN_TOKEN you set).',
    tokenNotChecked: 'The token could not be checked: {reason}',
    tagline: "Catch leads from your site's forms and deliver them to your CRM.",
    adminToken: 'Admin token',
    tokenHint: 'The collector prints it on its first start; it is kept only in this browser tab.',
    logIn: 'Log in',
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
  },
  ru: {
    loginAgain: 'Доступ закончился (токен администратора сменили или он больше не подходит). Войдите снова.',
    loggedOut: 'Вы вышли.',
    tokenEmpty: 'Токен администратора: вставьте токен, который сборщик напечатал при запуске (или ADMIN_TOKEN, который вы задали).',
    tokenWrong: 'Этот токен не подошёл. Проверьте, что вставили его целиком: это токен, который сборщик напечатал при запуске (или ADMIN_TOKEN, который вы задали).',
    tokenNotChecked: 'Не удалось проверить токен: {reason}',
    tagline: 'Ловите заявки с форм сайта и доставляйте их в CRM.',
    adminToken: 'Токен администратора',
    tokenHint: 'Сборщик печатает его при первом запуске; он хранится только в этой вкладке браузера.',
    logIn: 'Войти',
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
  },
});

export function App() {
  // A language switch re-renders the whole app: every text is looked up while rendering.
  useLanguage();
  const [token, setTokenState] = useState(getToken());
  const [loginMessage, setLoginMessage] = useState<'loginAgain' | 'loggedOut' | ''>('');
  useEffect(() => {
    setUnauthorizedHandler(() => {
      clearToken();
      setTokenState(null);
      setLoginMessage('loginAgain');
    });
  }, []);
  if (!token) {
    return (
      <Login
        message={loginMessage ? t(loginMessage) : ''}
        onLoggedIn={(t) => {
          setToken(t);
          setLoginMessage('');
          setTokenState(t);
        }}
      />
    );
  }
  return (
    <Shell
      onLogout={() => {
        clearToken();
        setTokenState(null);
        setLoginMessage('loggedOut');
      }}
    />
  );
}

function Login({ message, onLoggedIn }: { message: string; onLoggedIn: (token: string) => void }) {
  const [value, setValue] = useState('');
  const [error, setError] = useState('');
  const [busy, setBusy] = useState(false);
  const submit = async (ev: Event) => {
    ev.preventDefault();
    const token = value.trim();
    if (!token) {
      setError(t('tokenEmpty'));
      return;
    }
    setBusy(true);
    setError('');
    try {
      await adminApi.listProjects(token);
      onLoggedIn(token);
    } catch (err) {
      // In plain words: the server's own 401 message names HTTP headers.
      setError(err instanceof ApiError && err.httpStatus === 401 ? t('tokenWrong') : t('tokenNotChecked', { reason: errorText(err) }));
    } finally {
      setBusy(false);
    }
  };
  return (
    <main class="login">
      <LanguageSwitch />
      <h1>leadrelay</h1>
      <p class="muted">{t('tagline')}</p>
      <form onSubmit={submit} class="card" noValidate>
        <label for="admin-token">{t('adminToken')}</label>
        <input
          id="admin-token"
          type="password"
          autoComplete="current-password"
          value={value}
          onInput={(e) => setValue(e.currentTarget.value)}
          aria-describedby="admin-token-hint"
          aria-invalid={error ? 'true' : undefined}
        />
        <p id="admin-token-hint" class="hint">
          {t('tokenHint')}
        </p>
        {message && !error && <p class="message message-ok" role="status">{message}</p>}
        {error && (
          <p class="message message-error" role="alert">
            {error}
          </p>
        )}
        <button type="submit" class="primary" disabled={busy}>
          {t('logIn')}
        </button>
      </form>
    </main>
  );
}

const SECTIONS: Section[] = ['forms', 'leads', 'integration', 'install'];

const LAST_PROJECT_KEY = 'leadrelay.project';

function Shell({ onLogout }: { onLogout: () => void }) {
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
  const sectionLabel = section ? t(section) : undefined;
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
              <option value="__new">{t('newProjectOption')}</option>
            </select>
          </div>
        )}
        <button type="button" class="link-button logout" onClick={onLogout}>
          {t('logOut')}
        </button>
      </header>
      {projectId && (
        <nav class="sections" aria-label={t('sections')}>
          {SECTIONS.map((s) => (
            <Link key={s} href={paths.section(projectId, s)} class={s === section ? 'active' : ''} aria-current={s === section ? 'page' : undefined}>
              {t(s)}
            </Link>
          ))}
        </nav>
      )}
      <main class="content">
        <ErrorMessage error={loadError} />
        {projects === null && !loadError ? <Loading /> : <Page route={route} project={project} onProjectCreated={loadProjects} />}
      </main>
    </div>
  );
}

function Page({ route, project, onProjectCreated }: { route: Route; project: Project | null; onProjectCreated: () => Promise<void> }) {
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
