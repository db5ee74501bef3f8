// The parameter tree shaped into a lead's values: texts, flags, the visit, CRM field values
// (docs/http-api.md "Proxy API").
import type { FieldValue } from '../../../shared/schemas.ts';
import type { ParamMap, ParamNode } from './param-tree.ts';

export function nodeText(node: ParamNode | undefined): string {
  if (node === undefined) return '';
  if (typeof node === 'string') return node;
  // An array where one value was expected: its strings joined, the way a form sends a multi-select.
  const values = [...node.values()];
  return values.every((v) => typeof v === 'string') ? values.join(', ') : JSON.stringify(plain(node));
}

/** A PHP list of strings is a list-type CRM value; any other array is kept as its JSON text. */
function fieldValue(node: ParamNode): FieldValue {
  if (typeof node === 'string') return node;
  const entries = [...node.entries()];
  const isList = entries.every(([k, v]) => /^(0|[1-9]\d*)$/.test(k) && typeof v === 'string');
  if (isList) {
    return entries.sort((a, b) => Number(a[0]) - Number(b[0])).map(([, v]) => v as string);
  }
  return JSON.stringify(plain(node));
}

export function fieldRecord(node: ParamNode | undefined, skip: Set<string> = new Set()): Record<string, FieldValue> {
  if (!(node instanceof Map)) return {};
  return Object.fromEntries([...node].filter(([k]) => !skip.has(k)).map(([k, v]) => [k, fieldValue(v)]));
}

export function extraOf(params: ParamMap, known: Set<string>): Record<string, FieldValue> {
  return Object.fromEntries([...params].filter(([k]) => !known.has(k)).map(([k, v]) => [k, fieldValue(v)]));
}

type PlainTree = { [key: string]: string | PlainTree };
function plain(map: ParamMap): PlainTree {
  return Object.fromEntries([...map].map(([k, v]) => [k, typeof v === 'string' ? v : plain(v)]));
}

export function flag(value: string): boolean | undefined {
  const v = value.trim().toLowerCase();
  if (v === '1' || v === 'true') return true;
  if (v === '0' || v === 'false') return false;
  return undefined;
}

export function visitOf(value: string): number | 'nocookie' | null {
  const v = value.trim();
  if (v.toLowerCase() === 'nocookie') return 'nocookie';
  if (!/^\d{1,15}$/.test(v)) return null;
  return Number(v);
}
