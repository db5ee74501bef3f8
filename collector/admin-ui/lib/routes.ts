// Client routes under /admin/ (history routing: the server answers every /admin/* path with the page).
export const BASE = '/admin';

export type Section = 'forms' | 'leads' | 'integration' | 'install' | 'privacy' | 'project';

export type Route =
  | { page: 'home' }
  | { page: 'new-project' }
  | { page: 'forms'; projectId: string }
  | { page: 'form'; projectId: string; formId: string | null }
  | { page: 'leads'; projectId: string }
  | { page: 'lead'; projectId: string; leadId: string }
  | { page: 'integration'; projectId: string }
  | { page: 'install'; projectId: string }
  | { page: 'privacy'; projectId: string }
  | { page: 'project'; projectId: string }
  | { page: 'team' }
  | { page: 'activity' }
  | { page: 'not-found'; path: string };

export function parseRoute(pathname: string): Route {
  const rest = pathname.startsWith(BASE) ? pathname.slice(BASE.length) : pathname;
  const parts = rest.split('/').filter(Boolean).map(safeDecode);
  if (parts.length === 0) return { page: 'home' };
  if (parts.length === 1 && parts[0] === 'new-project') return { page: 'new-project' };
  if (parts.length === 1 && parts[0] === 'team') return { page: 'team' };
  if (parts.length === 1 && parts[0] === 'activity') return { page: 'activity' };
  if (parts[0] === 'p' && parts[1]) {
    const projectId = parts[1];
    const [, , section, id] = parts;
    if (parts.length === 2) return { page: 'forms', projectId };
    if (section === 'forms' && parts.length === 3) return { page: 'forms', projectId };
    if (section === 'forms' && parts.length === 4 && id) return { page: 'form', projectId, formId: id === 'new' ? null : id };
    if (section === 'leads' && parts.length === 3) return { page: 'leads', projectId };
    if (section === 'leads' && parts.length === 4 && id) return { page: 'lead', projectId, leadId: id };
    if (section === 'integration' && parts.length === 3) return { page: 'integration', projectId };
    if (section === 'install' && parts.length === 3) return { page: 'install', projectId };
    if (section === 'privacy' && parts.length === 3) return { page: 'privacy', projectId };
    if (section === 'project' && parts.length === 3) return { page: 'project', projectId };
  }
  return { page: 'not-found', path: pathname };
}

function safeDecode(part: string): string {
  try {
    return decodeURIComponent(part);
  } catch {
    return part;
  }
}

const e = encodeURIComponent;
export const paths = {
  home: () => `${BASE}/`,
  newProject: () => `${BASE}/new-project`,
  team: () => `${BASE}/team`,
  activity: () => `${BASE}/activity`,
  section: (projectId: string, section: Section) => `${BASE}/p/${e(projectId)}/${section}`,
  form: (projectId: string, formId: string | null) => `${BASE}/p/${e(projectId)}/forms/${formId === null ? 'new' : e(formId)}`,
  lead: (projectId: string, leadId: string) => `${BASE}/p/${e(projectId)}/leads/${e(leadId)}`,
};

export function sectionOf(route: Route): Section | null {
  switch (route.page) {
    case 'forms':
    case 'form':
      return 'forms';
    case 'leads':
    case 'lead':
      return 'leads';
    case 'integration':
      return 'integration';
    case 'install':
      return 'install';
    case 'privacy':
      return 'privacy';
    case 'project':
      return 'project';
    default:
      return null;
  }
}

export function installSnippet(origin: string, projectId: string): string {
  return `<script async src="${origin}/s.js" data-project="${projectId}"></script>`;
}
