// A CSS selector matching exactly one element in its root (the document or an open shadow root): the
// picker's "Selector" and the missed-form reports use this one generator (ARCHITECTURE.md "Selectors").
// Stable parts first: an id, then name/action/data-* attributes, then human-made classes; `:nth-of-type`
// steps only below the nearest ancestor with a stable selector, and only where nothing stable is left.

/**
 * Names made by tools, not people (they change with each build): CSS-in-JS prefixes (`css-1x2y3z`,
 * `sc-…`, `jsx-123`, `emotion-…`, `svelte-…`), a leading `_`, digit or `:` (CSS modules, React ids),
 * letters between digits (`3xYz1`), short camel-case hashes (`kRmsQh`), long values and empty ones.
 */
export const HASHED = /^([\d:_]|(css|sc|jsx|emotion|svelte|styled|tw)-)|\d[a-zA-Z]+\d|^[a-z]+[A-Z][a-z]*[A-Z]\w?$|.{99}|^$/;

/** The element's own stable selectors, most stable first, then its bare tag. */
function own(el: Element): string[] {
  const tag = el.localName;
  const out: string[] = [];
  const add = (prefix: string, value: string, suffix = '') => HASHED.test(value) || out.push(prefix + CSS.escape(value) + suffix);
  if (el.id) add('#', el.id);
  for (const a of Array.from(el.attributes)) if (/^(name|action|data-(?!leadrelay|v-)[\w-]+)$/.test(a.name)) add(tag + '[' + a.name + '="', a.value, '"]');
  for (const c of Array.from(el.classList)) add(tag + '.', c);
  return out.concat(tag);
}

export function selectorFor(el: Element): string {
  const root = el.getRootNode() as ParentNode;
  const one = (s: string, e: Element) => {
    const all = root.querySelectorAll(s);
    return all.length == 1 && all[0] == e;
  };
  const mine = own(el);
  let path = '';
  for (let a: Element | null = el; a; a = a.parentElement) {
    // The element's own selector, or inside the nearest ancestor with a stable one (never its bare tag).
    const anchor = a == el ? '' : own(a).slice(0, -1).find((s) => one(s, a!));
    const hit = anchor == null ? 0 : mine.map((s) => (anchor && anchor + ' ') + s).find((s) => one(s, el));
    if (hit || anchor) return hit || anchor + ' > ' + path;
    let i = 1;
    for (let x = a.previousElementSibling; x; x = x.previousElementSibling) i += +(x.localName == a.localName);
    path = a.localName + ':nth-of-type(' + i + ')' + (path && ' > ' + path);
  }
  return path;
}
