// A JSON proxy body read as the parameter tree http_build_query would have made of it
// (docs/http-api.md "Proxy API").
import type { InputBudget } from './input-budget.ts';
import { MAX_DEPTH, type ParamMap, type ParamNode, put } from './param-tree.ts';
import { ProxyParamsError } from './params-error.ts';

/** A JSON body's object as a parameter tree: numbers and booleans become the strings PHP would send. */
export function jsonParams(body: Buffer, budget: InputBudget): ParamMap {
  let value: unknown;
  try {
    value = JSON.parse(body.toString('utf8'));
  } catch {
    throw new ProxyParamsError('BAD_JSON', 'The request body is not valid JSON');
  }
  if (value === null || typeof value !== 'object' || Array.isArray(value)) {
    throw new ProxyParamsError('BAD_JSON', 'The JSON body must be an object of parameters');
  }
  const tree = jsonNode(value, 0, budget);
  return tree instanceof Map ? tree : new Map();
}

function jsonNode(value: unknown, depth: number, budget: InputBudget): ParamNode | undefined {
  if (typeof value === 'string') return value;
  if (typeof value === 'number') return Number.isFinite(value) ? String(value) : '';
  if (typeof value === 'boolean') return value ? '1' : '0';
  if (value === null || typeof value !== 'object' || depth >= MAX_DEPTH) return undefined; // http_build_query skips null too
  const map: ParamMap = new Map();
  const keys = Array.isArray(value) ? null : Object.keys(value);
  const count = keys ? keys.length : (value as unknown[]).length;
  for (let i = 0; i < count; i++) {
    if (budget.left === 0) {
      budget.ignored += count - i;
      break;
    }
    budget.left--;
    const k = keys ? keys[i]! : String(i);
    const node = jsonNode((value as Record<string, unknown>)[k], depth + 1, budget);
    if (node !== undefined) put(map, k, node);
  }
  return map;
}
