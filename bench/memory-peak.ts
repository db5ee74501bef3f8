// Where a child server's memory is at its highest: the child samples its own memory every 50 ms and
// keeps the sample with the highest resident size, so the bench can say what the peak is made of (the
// V8 heap and its young generation, buffers outside it, the rest: code, Node and V8 internals, SQLite's
// page cache, malloc). The child prints it as one line `MEMORY {json}` when it stops.
import { getHeapSpaceStatistics } from 'node:v8';

export interface MemoryPeak {
  rss: number;
  /** The V8 heap as reserved (every space). */
  heapTotal: number;
  heapUsed: number;
  /** The young generation (new space) as reserved at that moment. */
  newSpace: number;
  /** Memory outside the V8 heap held by JavaScript objects (Buffers and ArrayBuffers included). */
  external: number;
}

export const MEMORY_LINE = 'MEMORY ';

/** Starts sampling; the returned function gives the sample taken at the highest RSS so far. */
export function trackMemoryPeak(everyMs = 50): () => MemoryPeak {
  let top: MemoryPeak = sample();
  setInterval(() => {
    const s = sample();
    if (s.rss > top.rss) top = s;
  }, everyMs).unref();
  return () => top;
}

function sample(): MemoryPeak {
  const m = process.memoryUsage();
  const young = getHeapSpaceStatistics().find((s) => s.space_name === 'new_space');
  return { rss: m.rss, heapTotal: m.heapTotal, heapUsed: m.heapUsed, newSpace: young?.space_size ?? 0, external: m.external };
}

/** One line for BENCHMARKS.md: what the highest RSS was made of. */
export function describeMemoryPeak(p: MemoryPeak): string {
  const mib = (b: number) => `${Math.round(b / 2 ** 20)} MiB`;
  const rest = p.rss - p.heapTotal - p.external;
  return `at its highest RSS (${mib(p.rss)}, sampled every 50 ms by the child itself) the collector held a V8 heap of ${mib(p.heapTotal)} reserved (${mib(p.heapUsed)} in use, garbage included; the young generation ${mib(p.newSpace)}), ${mib(p.external)} outside the heap (buffers), and ${mib(rest)} of the rest (code, Node and V8 internals, SQLite's page cache, malloc)`;
}
