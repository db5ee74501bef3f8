// An anonymous request is parsed before its key is checked, so the parser's work must be bounded
// by the request's size, never by its square: `x[]=` appends keep a counter per array, at most
// MAX_INPUT_VARS (PHP's max_input_vars, 1000) parameters are read per source, and multipart headers
// are scanned once and capped. Work is asserted by counting steps, or by comparing two sizes.
import { describe, expect, it } from 'vitest';
import { MAX_INPUT_VARS } from '../../src/proxy/input-budget.ts';
import { MAX_PART_HEADER_BYTES } from '../../src/proxy/multipart.ts';
import { parseProxyParams } from '../../src/proxy/parse.ts';

const KIB = 1024;
const FORM = 'application/x-www-form-urlencoded';

/** Runs `work`, counting every step any Map iterator takes meanwhile (keys, values, entries, spread, forEach). */
function countMapSteps<T>(work: () => T): { result: T; steps: number } {
  const proto = Map.prototype as unknown as Record<string | symbol, (...args: unknown[]) => unknown>;
  const names: (string | symbol)[] = ['keys', 'values', 'entries', Symbol.iterator, 'forEach'];
  const saved = names.map((n) => proto[n]!);
  let steps = 0;
  names.forEach((name, i) => {
    const original = saved[i]!;
    proto[name] =
      name === 'forEach'
        ? function (this: Map<unknown, unknown>, ...args: unknown[]) {
            steps += this.size;
            return original.apply(this, args);
          }
        : function (this: Map<unknown, unknown>) {
            const it = original.call(this) as Iterator<unknown>;
            return {
              next: () => {
                steps++;
                return it.next();
              },
              [Symbol.iterator]() {
                return this;
              },
            };
          };
  });
  try {
    return { result: work(), steps };
  } finally {
    names.forEach((name, i) => {
      proto[name] = saved[i]!;
    });
  }
}

/** The least CPU time of `rounds` runs of `repeat` calls: a ratio of two of these does not depend on the machine's speed. */
function cpuMicros(work: () => unknown, repeat = 20, rounds = 7): number {
  let best = Infinity;
  for (let r = 0; r < rounds; r++) {
    const start = process.cpuUsage();
    for (let i = 0; i < repeat; i++) work();
    const used = process.cpuUsage(start);
    best = Math.min(best, used.user + used.system);
  }
  return Math.max(best, 1);
}

describe('x[]= appends and the parameter cap', () => {
  it('a 64 KiB `a[]&a[]&…` query: the first 1000 are read with a step count linear in them, the rest counted', () => {
    const query = 'a[]&'.repeat((64 * KIB) / 4);
    const { result, steps } = countMapSteps(() => parseProxyParams({ query }));
    expect(result.extra['a']).toHaveLength(MAX_INPUT_VARS);
    expect(result.ignoredParams).toBe((64 * KIB) / 4 - MAX_INPUT_VARS);
    // Scanning the array for its next index on every append would take ~MAX_INPUT_VARS² / 2 = 500,000 steps.
    expect(steps).toBeLessThan(20 * MAX_INPUT_VARS);
  });

  it('the same by a POST form body, inside fields', () => {
    const body = Buffer.from(`key=k&${'fields[list][]=1&'.repeat(4000)}`, 'latin1');
    const { result, steps } = countMapSteps(() => parseProxyParams({ query: '', body, contentType: FORM }));
    expect(result.key).toBe('k');
    expect(result.fields['list']).toHaveLength(MAX_INPUT_VARS - 1);
    expect(result.ignoredParams).toBe(4001 - MAX_INPUT_VARS);
    expect(steps).toBeLessThan(20 * MAX_INPUT_VARS);
  });

  it('keeps PHP’s next index after explicit integer keys', () => {
    const p = parseProxyParams({ query: 'f[]=a&f[5]=b&f[]=c&f[x]=d&f[]=e&f[2]=g&f[]=h' });
    expect(p.extra['f']).toBe(JSON.stringify({ 0: 'a', 5: 'b', 6: 'c', x: 'd', 7: 'e', 2: 'g', 8: 'h' }));
  });

  it('reads the query and the body each up to the cap, as PHP counts $_GET and $_POST apart', () => {
    const query = Array.from({ length: MAX_INPUT_VARS + 5 }, (_, i) => `q${i}=1`).join('&');
    const body = Buffer.from(Array.from({ length: MAX_INPUT_VARS + 7 }, (_, i) => `b${i}=1`).join('&'), 'latin1');
    const p = parseProxyParams({ query, body, contentType: FORM });
    expect(Object.keys(p.extra).filter((k) => k.startsWith('q'))).toHaveLength(MAX_INPUT_VARS);
    expect(Object.keys(p.extra).filter((k) => k.startsWith('b'))).toHaveLength(MAX_INPUT_VARS);
    expect(p.extra).not.toHaveProperty(`q${MAX_INPUT_VARS}`);
    expect(p.ignoredParams).toBe(12);
  });

  it('counts every value of a JSON body against the cap', () => {
    const body = Buffer.from(JSON.stringify({ key: 'k', fields: { list: Array.from({ length: 5000 }, (_, i) => i) } }));
    const p = parseProxyParams({ query: '', body, contentType: 'application/json' });
    expect(p.key).toBe('k');
    // key, fields and fields.list count too.
    expect(p.fields['list']).toHaveLength(MAX_INPUT_VARS - 3);
    expect(p.ignoredParams).toBe(5000 - (MAX_INPUT_VARS - 3));
  });
});

describe('multipart headers', () => {
  const boundary = 'xyzBOUNDARY';
  const part = (headers: string, value: string) => `--${boundary}\r\n${headers}\r\n\r\n${value}\r\n`;
  const parse = (body: string) => parseProxyParams({ query: '', body: Buffer.from(body, 'latin1'), contentType: `multipart/form-data; boundary="${boundary}"` });

  it('ignores (and counts) a part whose header block is over the cap, and reads the parts after it', () => {
    const hostile = `Content-Disposition: form-data; name="title"${'; content-disposition:'.repeat((MAX_PART_HEADER_BYTES / 22) + 10)}`;
    const body = part(hostile, 'lost') + part('Content-Disposition: form-data; name="key"', 'k') + `--${boundary}--\r\n`;
    const p = parse(body);
    expect([p.key, p.title, p.ignoredParams]).toEqual(['k', '', 1]);
  });

  it('reads quoted names holding `;`, unquoted names and a filename part as PHP does', () => {
    const body =
      part('content-type: text/plain\r\nCONTENT-DISPOSITION:form-data;name="fields[a;b]"', '1') +
      part('Content-Disposition: form-data; name=comment', 'hello') +
      part('Content-Disposition: form-data; filename="name=x.txt"; name="file"', 'skipped') +
      part('Content-Disposition: form-data; name="key"', 'k') +
      `--${boundary}--\r\n`;
    const p = parse(body);
    expect([p.key, p.comment, p.fields, p.extra]).toEqual(['k', 'hello', { 'a;b': '1' }, {}]);
  });

  it('scans a hostile header line once: 4× the header costs about 4× the work, not 16×', () => {
    // `content-disposition:` over and over on one line, with no name: a backtracking regular
    // expression retries the rest of the line from every occurrence.
    const body = (bytes: number) =>
      part(`Content-Disposition: form-data${'; content-disposition:'.repeat(Math.floor(bytes / 22))}`, 'v') +
      part('Content-Disposition: form-data; name="key"', 'k') +
      `--${boundary}--\r\n`;
    const small = body(MAX_PART_HEADER_BYTES / 4 - 64);
    const large = body(MAX_PART_HEADER_BYTES - 64);
    expect(parse(large).key).toBe('k');
    cpuMicros(() => parse(large), 5, 2); // warm up the JIT
    const ratio = cpuMicros(() => parse(large)) / cpuMicros(() => parse(small));
    expect(ratio).toBeLessThan(8);
  });

  it('more parts than the cap: the first 1000 read, the rest counted', () => {
    const count = MAX_INPUT_VARS + 200;
    const p = parse(part('Content-Disposition: form-data; name="fields[x][]"', '1').repeat(count) + `--${boundary}--\r\n`);
    expect(p.fields['x']).toHaveLength(MAX_INPUT_VARS);
    expect(p.ignoredParams).toBe(count - MAX_INPUT_VARS);
  });
});
