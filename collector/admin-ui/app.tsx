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
import { ErrorMessage, Link, Loading, navigate, usePathname } from './ui.tsx';
import { FormsPage } from './pages/forms-page.tsx';
import { FormEditorPage } from './pages/form-editor-page.tsx';
import { LeadsPage } from './pages/leads-page.tsx';
import { LeadPage } from './pages/lead-page.tsx';
import { IntegrationPage } from './pages/integration-page.tsx';
import { InstallPage } from './pages/install-page.tsx';
import { PrivacyPage, privacyNavLabel } from './pages/privacy-page.tsx';

/** Who is logged in: a user by session cookie, or the admin token kept in this tab. */
type Auth = { role: Role; email: string | null };

export function App() {
  const [auth, setAuth] = useState<Auth | null | 'checking'>('checking');
  const [loginMessage, setLoginMessage] = useState('');
  const enter = (info: SessionInfo) => {
    const next = 'user' in info ? { role: info.user.role, email: info.user.email } : { role: info.role, email: null };
    setCurrentRole(next.role);
    setAuth(next);
  };
  useEffect(() => {
    setUnauthorizedHandler((message) => {
      clearToken();
      setAuth(null);
      setLoginMessage(t('again', { message }));
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
        message={loginMessage}
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
        setLoginMessage(t('loggedOut'));
      }}
    />
  );
}

const SECTIONS: { section: Section; label: string }[] = [
  { section: 'forms', label: 'Forms' },
  { section: 'leads', label: 'Leads' },
  { section: 'integration', label: 'Integration' },
  { section: 'install', label: 'Install' },
  // A getter, so the label follows the language chosen.
  {
    section: 'privacy',
    get label() {
      return privacyNavLabel();
    },
  },
];

const t = messages({
  en: {
    again: 'Please log in again: {message}',
    loggedOut: 'You are logged out.',
    project: 'Project',
    team: 'Team',
    activity: 'Activity',
    adminToken: 'admin token',
  },
  ru: {
    again: 'Войдите снова: {message}',
    loggedOut: 'Вы вышли.',
    project: 'Проект',
    team: 'Команда',
    activity: 'Журнал',
    adminToken: 'токен администратора',
  },
});

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
  const sectionLabel = section === 'project' ? t('project') : SECTIONS.find((s) => s.section === section)?.label;
  useEffect(() => {
    document.title = [sectionLabel, project?.name, 'leadrelay'].filter(Boolean).join(' · ');
  }, [sectionLabel, project?.name]);

  return (
    <div class="shell">
      <header class="topbar">
        <span class="brand">leadrelay</span>
        {projects && projects.length > 0 && (
          <div class="project-switch">
            <label for="project-select">Project</label>
            <select
              id="project-select"
              value={projectId ?? ''}
              onChange={(e) => {
                const id = e.currentTarget.value;
                if (id === '__new') navigate(paths.newProject());
                else if (id) navigate(paths.section(id, section ?? 'forms'));
              }}
            >
              {!projectId && <option value="">Choose a project</option>}
              {projects.map((p) => (
                <option value={p.id} key={p.id}>
                  {p.name}
                </option>
              ))}
              {can('owner') && <option value="__new">+ New project…</option>}
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
        <span class="muted who">{email ?? t('adminToken')}</span>
        <button type="button" class="link-button logout" onClick={onLogout}>
          Log out
        </button>
      </header>
      {projectId && (
        <nav class="sections" aria-label="Sections">
          {SECTIONS.map(({ section: s, label }) => (
            <Link key={s} href={paths.section(projectId, s)} class={s === section ? 'active' : ''} aria-current={s === section ? 'page' : undefined}>
              {label}
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
          <h1>Page not found</h1>
          <p>
            There is nothing at this address. <Link href={paths.home()}>Go to the start page</Link>.
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
      setError(new Error('Project name: enter a name, e.g. the site it is for.'));
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
      <h1>New project</h1>
      <p class="muted">A project is one site (or a group of sites) with its forms, its leads and its CRM.</p>
      <form class="card narrow" onSubmit={submit} noValidate>
        <label for="project-name">Project name</label>
        <input id="project-name" value={name} onInput={(e) => setName(e.currentTarget.value)} placeholder="My shop" />
        <ErrorMessage error={error} />
        <button type="submit" class="primary" disabled={busy}>
          Create project
        </button>
      </form>
    </section>
  );
}
