// Finds our own <script> tag: the collector's base URL comes from its src, the project from data-project.
export interface Install {
  /** The collector URL the script was loaded from, without `/s.js` (a path prefix is kept). */
  base: string;
  projectId: string;
}

export function findInstall(doc: Document): Install | null {
  // currentScript is null when the page (or a tag manager) ran us some other way: then look for the tag.
  const s = (doc.currentScript || doc.querySelector('script[data-project][src*="/s.js"]')) as HTMLScriptElement | null;
  const projectId = s && s.dataset.project;
  return projectId ? { base: s.src.replace(/\/s\.js([?#].*)?$/, ''), projectId } : null;
}
