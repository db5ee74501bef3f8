// The parameter tree PHP builds from `name[a][b]=value` keys (php_register_variable_ex), with its
// nesting bound and list indexes (docs/http-api.md "Proxy API").

/** A parsed parameter: a string, or a PHP array (ordered; list indexes are decimal strings). */
export type ParamNode = string | ParamMap;
export type ParamMap = Map<string, ParamNode>;

// PHP's max_input_nesting_level is 64; nobody's CRM field needs more than a few.
export const MAX_DEPTH = 32;

/**
 * Puts one `name[a][b]=value` into the tree as PHP's php_register_variable_ex does: spaces and dots
 * in the base name become `_`, `[]` appends after the largest integer index, a scalar met where an
 * array is needed is replaced, and a name nested deeper than MAX_DEPTH is dropped.
 */
export function assignParam(root: ParamMap, rawKey: string, value: string): void {
  const key = rawKey.replace(/^ +/, '');
  const open = key.indexOf('[');
  const close = open === -1 ? -1 : key.indexOf(']', open);
  if (open === -1 || close === -1) {
    const base = key.replace(/[ .[]/g, '_');
    if (base) root.set(base, value);
    return;
  }
  const base = key.slice(0, open).replace(/[ .]/g, '_');
  if (!base) return;
  const path = [base];
  let i = open;
  while (i < key.length && key[i] === '[') {
    const end = key.indexOf(']', i);
    if (end === -1) break; // PHP ignores an unterminated trailing index
    path.push(key.slice(i + 1, end));
    if (path.length > MAX_DEPTH) return;
    i = end + 1;
  }

  let node = root;
  for (let d = 0; d < path.length; d++) {
    let segment = path[d]!;
    if (d > 0 && segment === '') segment = String(nextFree.get(node) ?? 0);
    if (d === path.length - 1) {
      put(node, segment, value);
      return;
    }
    let child = node.get(segment);
    if (!(child instanceof Map)) {
      child = new Map();
      put(node, segment, child);
    }
    node = child;
  }
}

/**
 * Each array's next free list index (PHP's nNextFreeElement: one past the largest integer key), kept
 * as keys are added, so an `x[]=` append costs the same however long the array already is.
 */
const nextFree = new WeakMap<ParamMap, number>();

export function put(map: ParamMap, key: string, node: ParamNode): void {
  map.set(key, node);
  if (isListIndex(key)) {
    const next = Number(key) + 1;
    if (next > (nextFree.get(map) ?? 0)) nextFree.set(map, next);
  }
}

function isListIndex(key: string): boolean {
  return /^(0|[1-9]\d{0,14})$/.test(key);
}
