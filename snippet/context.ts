// The page context sent with every lead, from which the collector expands {variables}.
import type { PageContext } from '../shared/schemas.ts';
import { getCookie } from './safe-storage.ts';
import type { VisitState } from './visit.ts';

/** `_ga` is "GA1.2.<clientId>": the client id is its last two dot-separated parts. */
export const gaClientId = (cookie: string) => cookie.split('.').slice(-2).join('.');

export function pageContext(doc: Document, page: string, visit: VisitState): PageContext {
  const cookies: Record<string, string> = {};
  const ga = getCookie(doc, '_ga');
  if (ga) cookies.ga = gaClientId(ga);
  if (getCookie(doc, '_ym_uid')) cookies.ymUid = getCookie(doc, '_ym_uid');
  if (getCookie(doc, '_fbc')) cookies.fbc = getCookie(doc, '_fbc');
  return { ...visit, page, cookies };
}
