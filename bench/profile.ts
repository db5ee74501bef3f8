// Where the CPU time goes when a target is missed: a V8 CPU profile taken with the inspector (in
// the collector child, or in this process for the worker), summarized as top self-time frames.
import { existsSync, readFileSync } from 'node:fs';
import { Session } from 'node:inspector/promises';
import { SourceMap, type SourceMapPayload } from 'node:module';
import { dirname, resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

interface ProfileNode {
  id: number;
  callFrame: { functionName: string; url: string; lineNumber: number; columnNumber?: number };
  hitCount?: number;
  children?: number[];
}
export interface CpuProfile {
  nodes: ProfileNode[];
  samples?: number[];
}

export interface FrameShare {
  frame: string;
  share: number;
}

export interface ProfileSummary {
  samples: number;
  topFrames: FrameShare[];
  byArea: FrameShare[];
  /** Time charged to the nearest leadrelay function on the stack (libraries and native calls beneath it included). */
  byProjectFunction: FrameShare[];
}

const ROOT_URL = new URL('..', import.meta.url).href;
const isProject = (url: string) => /\/(collector\/src|shared)\//.test(url);

/** Names a script by what it belongs to: a package, a project folder, or Node's internals. */
export function areaOf(url: string): string {
  if (!url) return '(native / V8)';
  const pkg = /node_modules\/((?:@[^/]+\/)?[^/]+)/.exec(url);
  if (pkg) return pkg[1]!;
  if (url.startsWith('node:')) return 'node: internals';
  // Paths from the repository root: a checkout may itself sit in a folder named like one of ours (…/bench/).
  const local = url.startsWith(ROOT_URL) ? `/${url.slice(ROOT_URL.length)}` : url;
  const project = /^\/(collector\/src|shared|bench|fixtures)\/([^/]+)/.exec(local) ?? /\/(collector\/src|shared|bench|fixtures)\/([^/]+)/.exec(local);
  if (project) return `${project[1]}/${project[2]}`;
  return url.replace(/^file:\/\//, '');
}

export function summarizeProfile(p: CpuProfile, top = 12): ProfileSummary {
  const hits = new Map<number, number>();
  if (p.samples?.length) for (const id of p.samples) hits.set(id, (hits.get(id) ?? 0) + 1);
  else for (const n of p.nodes) hits.set(n.id, n.hitCount ?? 0);
  const total = [...hits.values()].reduce((a, b) => a + b, 0) || 1;
  const frames = new Map<string, number>();
  const areas = new Map<string, number>();
  const byId = new Map(p.nodes.map((n) => [n.id, n]));
  const parent = new Map<number, number>();
  for (const n of p.nodes) for (const c of n.children ?? []) parent.set(c, n.id);
  const owners = new Map<string, number>();
  for (const n of p.nodes) {
    const h = hits.get(n.id) ?? 0;
    if (!h) continue;
    const { functionName, url, lineNumber } = n.callFrame;
    const file = url ? `${areaOf(url)}:${lineNumber + 1}` : '';
    const frame = `${functionName || '(anonymous)'}${file ? ` (${file})` : ''}`;
    frames.set(frame, (frames.get(frame) ?? 0) + h);
    const area = functionName.startsWith('(') ? functionName : areaOf(url);
    areas.set(area, (areas.get(area) ?? 0) + h);
    let owner: ProfileNode | undefined = n;
    while (owner && !isProject(owner.callFrame.url)) owner = byId.get(parent.get(owner.id) ?? -1);
    const ownerName = owner ? `${owner.callFrame.functionName || '(anonymous)'} (${areaOf(owner.callFrame.url)})` : functionName.startsWith('(') ? functionName : '(outside leadrelay code)';
    owners.set(ownerName, (owners.get(ownerName) ?? 0) + h);
  }
  const rank = (m: Map<string, number>) =>
    [...m.entries()]
      .sort((a, b) => b[1] - a[1])
      .slice(0, top)
      .map(([frame, h]) => ({ frame, share: h / total }));
  return { samples: total, topFrames: rank(frames), byArea: rank(areas), byProjectFunction: rank(owners) };
}

/**
 * The profile of a bundled child (compile.ts) with its frames pointed back at the TypeScript sources
 * through the source map beside the bundle, so areas and leadrelay functions are named as in the sources.
 */
export function remapProfile(p: CpuProfile): CpuProfile {
  const maps = new Map<string, SourceMap | null>();
  const mapOf = (url: string): SourceMap | null => {
    if (!maps.has(url)) {
      const file = url.startsWith('file://') ? `${fileURLToPath(url)}.map` : '';
      maps.set(url, file && existsSync(file) ? new SourceMap(JSON.parse(readFileSync(file, 'utf8')) as SourceMapPayload) : null);
    }
    return maps.get(url)!;
  };
  const nodes = p.nodes.map((n) => {
    const map = n.callFrame.url ? mapOf(n.callFrame.url) : null;
    if (!map) return n;
    const entry = map.findEntry(n.callFrame.lineNumber, n.callFrame.columnNumber ?? 0) as { originalSource?: string; originalLine?: number };
    if (!entry.originalSource) return n;
    // The map names sources relative to the bundle's directory.
    const source = pathToFileURL(resolve(dirname(fileURLToPath(n.callFrame.url)), entry.originalSource)).href;
    return { ...n, callFrame: { ...n.callFrame, url: source, lineNumber: entry.originalLine ?? 0 } };
  });
  return { ...p, nodes };
}

/** Starts profiling this process; the returned function stops and returns the profile. */
export async function startProfiler(): Promise<() => Promise<CpuProfile>> {
  const session = new Session();
  session.connect();
  await session.post('Profiler.enable');
  await session.post('Profiler.setSamplingInterval', { interval: 500 });
  await session.post('Profiler.start');
  return async () => {
    const { profile } = (await session.post('Profiler.stop')) as { profile: CpuProfile };
    session.disconnect();
    return profile;
  };
}

const esc = (x: string) => x.replace(/\|/g, '\\|');

export function profileMarkdown(s: ProfileSummary): string[] {
  const pct = (x: number) => `${(x * 100).toFixed(1)}%`;
  return [
    `CPU profile (${s.samples} samples), self time by area: ${s.byArea.slice(0, 8).map((a) => `${a.frame} ${pct(a.share)}`).join(', ')}.`,
    '',
    '| top frames (self time) | share | | leadrelay function on the stack (time beneath it) | share |',
    '| --- | --- | --- | --- | --- |',
    ...s.topFrames.map((f, i) => {
      const o = s.byProjectFunction[i];
      return `| \`${esc(f.frame)}\` | ${pct(f.share)} | | ${o ? `\`${esc(o.frame)}\`` : ''} | ${o ? pct(o.share) : ''} |`;
    }),
  ];
}
