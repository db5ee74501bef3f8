// Runs a server as a child process, so the load generator in the bench process never shares the
// server's event loop. The child runs compiled JavaScript (compile.ts), as production does;
// BENCH_TSX=1 runs the TypeScript under tsx instead (to measure what tsx costs). The child prints
// one line `READY {json}` when it listens.
import { spawn, type ChildProcess } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { createInterface } from 'node:readline';
import { compiledEntry } from './compile.ts';
import { MEMORY_LINE, type MemoryPeak } from './memory-peak.ts';

export interface Child<T> {
  pid: number;
  /** What the child printed after READY (its port, ids it created…). */
  info: T;
  /** Peak resident memory so far, in bytes (VmHWM from /proc), or null where /proc is missing. */
  peakRss(): number | null;
  /** Resident memory now, in bytes (VmRSS), or null where /proc is missing. */
  rss(): number | null;
  /** Starts the peak over from the present resident memory (Linux clear_refs), so a peak is per scenario. */
  resetPeakRss(): void;
  signal(sig: NodeJS.Signals): void;
  /** SIGTERM, then waits for the exit (the child writes its CPU profile on SIGTERM). */
  stop(): Promise<void>;
  /** What the child's memory was made of at its highest RSS, once it has stopped (null: it printed none). */
  memoryPeak(): MemoryPeak | null;
}

export interface ChildOptions {
  env?: Record<string, string>;
  /** Extra node flags, e.g. ['--cpu-prof', '--cpu-prof-dir=…']. */
  nodeArgs?: string[];
  timeoutMs?: number;
  /** Run the TypeScript under tsx rather than compiled (default: BENCH_TSX=1). */
  tsx?: boolean;
}

/** How the bench runs its children: `compiled` (as production) or `tsx` (BENCH_TSX=1). */
export const CHILD_RUNTIME: 'compiled' | 'tsx' = process.env.BENCH_TSX === '1' ? 'tsx' : 'compiled';

export async function startChild<T>(script: string, opts: ChildOptions = {}): Promise<Child<T>> {
  const tsx = opts.tsx ?? CHILD_RUNTIME === 'tsx';
  // JavaScript runs as it is; TypeScript compiled, or under tsx when asked.
  const entry = !script.endsWith('.ts') ? [script] : tsx ? ['--import', 'tsx', script] : [await compiledEntry(script)];
  const proc: ChildProcess = spawn(process.execPath, [...(opts.nodeArgs ?? []), ...entry], {
    env: { ...process.env, LOG_LEVEL: 'silent', ...opts.env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stderr = '';
  proc.stderr!.on('data', (c: Buffer) => {
    stderr = (stderr + c.toString()).slice(-4000);
  });
  const exited = new Promise<void>((resolve) => proc.once('exit', () => resolve()));
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      proc.kill('SIGKILL');
      reject(new Error(`${script} did not start within ${opts.timeoutMs ?? 30_000} ms: ${stderr}`));
    }, opts.timeoutMs ?? 30_000);
    proc.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`${script} exited with ${code} before it was ready: ${stderr}`));
    });
    let memory: MemoryPeak | null = null;
    createInterface({ input: proc.stdout! }).on('line', (line) => {
      if (line.startsWith(MEMORY_LINE)) memory = JSON.parse(line.slice(MEMORY_LINE.length)) as MemoryPeak;
      if (!line.startsWith('READY ')) return;
      clearTimeout(timer);
      const pid = proc.pid!;
      resolve({
        pid,
        info: JSON.parse(line.slice(6)) as T,
        peakRss: () => peakRssOf(pid),
        rss: () => statusBytes(pid, 'VmRSS'),
        resetPeakRss: () => resetPeakRssOf(pid),
        signal: (sig) => void proc.kill(sig),
        memoryPeak: () => memory,
        async stop() {
          if (proc.exitCode === null && proc.signalCode === null) proc.kill('SIGTERM');
          const killer = setTimeout(() => proc.kill('SIGKILL'), 15_000);
          await exited;
          clearTimeout(killer);
        },
      });
    });
  });
}

/** Resets a process's VmHWM to its present RSS (where /proc allows it; else the peak stays the process's). */
export function resetPeakRssOf(pid: number): void {
  try {
    writeFileSync(`/proc/${pid}/clear_refs`, '5');
  } catch {
    // No /proc, or not allowed: peaks are then since the start.
  }
}

/** VmHWM of a process in bytes: the most resident memory it ever had. */
export function peakRssOf(pid: number): number | null {
  return statusBytes(pid, 'VmHWM');
}

function statusBytes(pid: number, field: 'VmHWM' | 'VmRSS'): number | null {
  try {
    const m = new RegExp(`^${field}:\\s+(\\d+) kB`, 'm').exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
    return m ? Number(m[1]) * 1024 : null;
  } catch {
    return null;
  }
}
