// Finds our own <script> tag: the collector's base URL comes from its src, the project from data-project,
// and data-visit-cookie names a cookie that also gets the visit number (Roistat drop-in: "roistat_visit").
export interface Install {
  /** The collector URL the script was loaded from, without `/s.js` (a path prefix is kept). */
  base_: string;
  projectId_: string;
  /** The cookie named by data-visit-cookie, or '' (none, or not a safe name). */
  visitCookie_: string;
}

/** Both go into cookie and storage names, so only letters, digits, `_` and `-` are taken (else ''). */
const safe = (s: string | undefined) => (/^[\w-]+$/.test(s!) && s) || '';

export function findInstall(doc: Document): Install | null {
  // currentScript is null when the page (or a tag manager) ran us some other way: then look for the tag.
  const s = (doc.currentScript || doc.querySelector('script[data-project][src*="/s.js"]')) as HTMLScriptElement | null;
  const projectId = s && safe(s.dataset.project);
  return projectId ? { base_: s.src.replace(/\/s\.js([?#].*)?$/, ''), projectId_: projectId, visitCookie_: safe(s.dataset.visitCookie) } : null;
}
