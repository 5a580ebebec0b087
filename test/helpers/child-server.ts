import { spawn, type ChildProcess } from 'node:child_process';
import { createServer } from 'node:net';
import { fileURLToPath } from 'node:url';
import { SOURCE_CONDITION } from './source.js';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));

export interface ChildServer {
  proc: ChildProcess;
  role: 'serve' | 'api' | 'worker';
  url: string;
  output(): string;
  /** Resolves with the exit code (or signal name) once the process is gone. */
  exited: Promise<number | string>;
}

async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const probe = createServer();
    probe.once('error', reject);
    probe.listen(0, '127.0.0.1', () => {
      const address = probe.address();
      const port = typeof address === 'object' && address ? address.port : 0;
      probe.close(() => resolve(port));
    });
  });
}

/** Runs `reelay serve|api|worker` from source as a real child process and waits until it answers /healthz. */
export async function spawnServer(env: Record<string, string>, role: 'serve' | 'api' | 'worker' = 'serve'): Promise<ChildServer> {
  const port = await freePort();
  const proc = spawn(process.execPath, [SOURCE_CONDITION, '--import', 'tsx', 'src/cli/main.ts', role], {
    cwd: ROOT,
    env: { ...process.env, REELAY_HOST: '127.0.0.1', REELAY_LOG_LEVEL: 'warn', ...env, REELAY_PORT: String(port) },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  proc.stdout?.on('data', (d: Buffer) => (out += d.toString()));
  proc.stderr?.on('data', (d: Buffer) => (out += d.toString()));
  const exited = new Promise<number | string>((resolve) => proc.once('exit', (code, signal) => resolve(code ?? signal ?? -1)));
  const url = `http://127.0.0.1:${port}`;
  const deadline = Date.now() + 30_000;
  for (;;) {
    if (proc.exitCode !== null) throw new Error(`server exited early:\n${out}`);
    try {
      if ((await fetch(`${url}/healthz`)).ok) break;
    } catch {
      // not listening yet
    }
    if (Date.now() > deadline) {
      proc.kill('SIGKILL');
      throw new Error(`server did not start:\n${out}`);
    }
    await new Promise((r) => setTimeout(r, 100));
  }
  return { proc, role, url, output: () => out, exited };
}
