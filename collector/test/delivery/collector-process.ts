// A real collector process (collector/src/server.ts) for tests that signal or kill it.
import { spawn, type ChildProcess } from 'node:child_process';
import { createServer } from 'node:net';
import { join } from 'node:path';

export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = createServer();
    s.once('error', reject);
    s.listen(0, '127.0.0.1', () => {
      const { port } = s.address() as { port: number };
      s.close(() => resolve(port));
    });
  });
}

export const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

export interface CollectorProcess {
  base: string;
  proc: ChildProcess;
  /** Resolves with the exit code (null when killed by a signal). */
  exited: Promise<number | null>;
}

/** Starts server.ts with `env` on a free port; resolves once /healthz answers. DEBUG_COLLECTOR=1 shows its log. */
export async function startCollectorProcess(env: Record<string, string>, port?: number): Promise<CollectorProcess> {
  const base = `http://127.0.0.1:${port ?? (await freePort())}`;
  const proc = spawn(process.execPath, ['--import', 'tsx', 'collector/src/server.ts'], {
    cwd: join(import.meta.dirname, '../../..'),
    env: { ...process.env, LOG_LEVEL: process.env.DEBUG_COLLECTOR ? 'info' : 'error', RATE_LIMIT_SITE_PER_MINUTE: '0', ...env, PORT: new URL(base).port, HOST: '127.0.0.1' },
    stdio: ['ignore', process.env.DEBUG_COLLECTOR ? 'inherit' : 'ignore', 'inherit'],
  });
  const exited = new Promise<number | null>((resolve) => proc.once('exit', (code) => resolve(code)));
  // Start-up time is the machine's: wait as long as it takes, but not past a process that died.
  for (let i = 0; i < 2400; i++) {
    if (proc.exitCode !== null) throw new Error(`the collector exited with ${proc.exitCode}`);
    if (await fetch(`${base}/healthz`).then((r) => r.ok, () => false)) return { base, proc, exited };
    await sleep(50);
  }
  proc.kill('SIGKILL');
  throw new Error('the collector did not start within 120 s');
}

/** Resolves once the collector no longer accepts connections (its listener is closed). */
export async function waitUntilNotListening(base: string): Promise<void> {
  for (;;) {
    const listening = await fetch(`${base}/healthz`, { signal: AbortSignal.timeout(2000) }).then(
      async (r) => {
        await r.body?.cancel();
        return true;
      },
      () => false,
    );
    if (!listening) return;
    await sleep(20);
  }
}
