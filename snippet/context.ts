// The page context sent with every lead, from which the collector expands {variables}.
import type { PageContext } from '../shared/schemas.ts';
import { getCookie } from './safe-storage.ts';
import type { VisitState } from './visit.ts';

/** `_ga` is "GA1.2.<clientId>": the client id is its last two dot-separated parts. */
export const gaClientId = (cookie: string) => cookie.split('.').slice(-2).join('.');

export function pageContext(doc: Document, page: string, visit: VisitState): PageContext {
  const ga = getCookie(doc, '_ga');
  // A cookie that is not set is undefined, which JSON leaves out: the lead carries only the ones the page has.
  const cookies = { ga: ga ? gaClientId(ga) : undefined, ymUid: getCookie(doc, '_ym_uid') || undefined, fbc: getCookie(doc, '_fbc') || undefined };
  return { ...visit, page, cookies: cookies as Record<string, string> };
}
