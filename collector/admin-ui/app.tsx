// The app shell: login, the project switcher, the section navigation, and the page for the route.
import { useEffect, useState } from 'preact/hooks';
import type { Project } from '../../shared/schemas.ts';
import { adminApi, clearToken, getToken, setToken, setUnauthorizedHandler } from './api.ts';
import { parseRoute, paths, sectionOf, type Route, type Section } from './lib/routes.ts';
import { ErrorMessage, Link, Loading, navigate, usePathname, errorText } from './ui.tsx';
import { FormsPage } from './pages/forms-page.tsx';
import { FormEditorPage } from './pages/form-editor-page.tsx';
import { LeadsPage } from './pages/leads-page.tsx';
import { LeadPage } from './pages/lead-page.tsx';
import { IntegrationPage } from './pages/integration-page.tsx';
import { InstallPage } from './pages/install-page.tsx';
import { PrivacyPage, privacyNavLabel } from './pages/privacy-page.tsx';

export function App() {
  const [token, setTokenState] = useState(getToken());
  const [loginMessage, setLoginMessage] = useState('');
  useEffect(() => {
    setUnauthorizedHandler((message) => {
      clearToken();
      setTokenState(null);
      setLoginMessage(`Please log in again: ${message}`);
    });
  }, []);
  if (!token) {
    return (
      <Login
        message={loginMessage}
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
        setLoginMessage('You are logged out.');
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
      setError('Admin token: paste the token the collector printed when it started (or the ADMIN_TOKEN you set).');
      return;
    }
    setBusy(true);
    setError('');
    try {
      await adminApi.listProjects(token);
      onLoggedIn(token);
    } catch (err) {
      setError(`That token was not accepted: ${errorText(err)}`);
    } finally {
      setBusy(false);
    }
  };
  return (
    <main class="login">
      <h1>leadrelay</h1>
      <p class="muted">Catch leads from your site's forms and deliver them to your CRM.</p>
      <form onSubmit={submit} class="card" noValidate>
        <label for="admin-token">Admin token</label>
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
          The collector prints it on its first start; it is kept only in this browser tab.
        </p>
        {message && !error && <p class="message message-ok" role="status">{message}</p>}
        {error && (
          <p class="message message-error" role="alert">
            {error}
          </p>
        )}
        <button type="submit" class="primary" disabled={busy}>
          Log in
        </button>
      </form>
    </main>
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
  const sectionLabel = SECTIONS.find((s) => s.section === section)?.label;
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
              <option value="__new">+ New project…</option>
            </select>
          </div>
        )}
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
    case 'privacy':
      return <PrivacyPage projectId={route.projectId} key={route.projectId} />;
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
