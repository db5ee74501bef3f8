// PHP's max_input_vars bound on a proxy request (docs/http-api.md "Proxy API"): the byte pairs the
// query and body readers give, and how many parameters each source may still give.

/**
 * PHP's max_input_vars: at most this many parameters are read from the query string and as many from
 * the body (each JSON value counts as one); the rest is ignored, as PHP ignores it, and counted.
 */
export const MAX_INPUT_VARS = 1000;

export interface ByteParam {
  key: Buffer;
  value: Buffer;
}

/** How many more parameters one source (the query, or the body) may give; the rest is counted. */
export interface InputBudget {
  left: number;
  ignored: number;
}
export const newBudget = (): InputBudget => ({ left: MAX_INPUT_VARS, ignored: 0 });
