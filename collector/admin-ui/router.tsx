// The page for a route (lib/routes.ts parses the address), and "Page not found" for an address that is none.
import type { Project } from '../../shared/schemas.ts';
import { messages } from './lib/i18n.ts';
import { paths, type Route } from './lib/routes.ts';
import { ActivityPage } from './pages/activity-page.tsx';
import { FormEditorPage } from './pages/form-editor-page.tsx';
import { FormsPage } from './pages/forms-page.tsx';
import { InstallPage } from './pages/install-page.tsx';
import { IntegrationPage } from './pages/integration-page.tsx';
import { LeadPage } from './pages/lead-page.tsx';
import { LeadsPage } from './pages/leads-page.tsx';
import { NewProjectPage } from './pages/new-project-page.tsx';
import { PrivacyPage } from './pages/privacy-page.tsx';
import { ProjectPage } from './pages/project-page.tsx';
import { TeamPage } from './pages/team-page.tsx';
import { Link, Loading } from './ui.tsx';

const t = messages({
  en: {
    notFound: 'Page not found',
    nothingHere: 'There is nothing at this address.',
    goStart: 'Go to the start page',
  },
  ru: {
    notFound: 'Страница не найдена',
    nothingHere: 'По этому адресу ничего нет.',
    goStart: 'Перейти на начальную страницу',
  },
});

export function Page({
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
