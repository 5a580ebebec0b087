import { spawn, type ChildProcess } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { closedPort } from './loopback.js';
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

/**
 * Runs `reelay serve|api|worker` from source as a real child process and waits until it answers /healthz.
 * `ownGroup` puts it at the head of its own process group, as a shell or systemd would, so a test
 * can signal the whole group (`process.kill(-pid, ...)`).
 */
export async function spawnServer(
  env: Record<string, string>,
  role: 'serve' | 'api' | 'worker' = 'serve',
  opts: { ownGroup?: boolean } = {},
): Promise<ChildServer> {
  const port = await closedPort();
  const proc = spawn(process.execPath, [SOURCE_CONDITION, '--import', 'tsx', 'src/cli/main.ts', role], {
    cwd: ROOT,
    env: { ...process.env, REELAY_HOST: '127.0.0.1', REELAY_LOG_LEVEL: 'warn', ...env, REELAY_PORT: String(port) },
    stdio: ['ignore', 'pipe', 'pipe'],
    detached: opts.ownGroup ?? false,
  });
  let out = '';
  proc.stdout?.on('data', (d: Buffer) => (out += d.toString()));
  proc.stderr?.on('data', (d: Buffer) => (out += d.toString()));
  const exited = new Promise<number | string>((resolve) => proc.once('exit', (code, signal) => resolve(code ?? signal ?? -1)));
  const url = `http://127.0.0.1:${port}`;
  // Generous: a backstop for a process that never comes up, not a measure of start time on a loaded machine.
  const deadline = Date.now() + 120_000;
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
