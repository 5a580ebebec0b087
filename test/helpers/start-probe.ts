import { spawn } from 'node:child_process';
import { readdir, readFile } from 'node:fs/promises';
import { closedPort } from './loopback.js';

export interface StartTiming {
  /** From spawn to the first line on stdout (Reelay's "listening" line). */
  listeningMs: number;
  /** From spawn to the first 200 from /healthz. */
  healthzMs: number;
  /** CPU time (user + system, all threads) the process group had used when /healthz first answered. */
  cpuMs: number;
  /** Everything the process wrote before it was stopped. */
  output: string;
}

/**
 * CPU time (user + system) used so far by the live processes of process group `pgid`, from /proc
 * (Linux): utime + stime are in clock ticks of 10 ms (USER_HZ). A process of the group that already
 * exited is not counted (npm's `sh -c`, say); the server itself is alive when this is read.
 */
async function groupCpuMs(pgid: number): Promise<number> {
  let ticks = 0;
  for (const entry of await readdir('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    const stat = await readFile(`/proc/${entry}/stat`, 'utf8').catch(() => '');
    // Fields after the command name, which is in parentheses and may contain spaces.
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    if (Number(fields[2]) === pgid) ticks += Number(fields[11]) + Number(fields[12]);
  }
  return ticks * 10;
}

/**
 * Starts `node <args>` in its own process group with REELAY_PORT (and PORT) set to a free loopback port, measures how long
 * it takes to print its first line and to answer /healthz, then stops it (SIGTERM) and waits for
 * the whole group. No deadline but `backstopMs`, a guard against a process that never comes up.
 */
export async function probeStart(args: string[], env: Record<string, string>, backstopMs = 120_000): Promise<StartTiming> {
  const port = String(await closedPort());
  const started = performance.now();
  const proc = spawn(process.execPath, args, {
    env: { ...process.env, REELAY_HOST: '127.0.0.1', REELAY_LOG_LEVEL: 'warn', ...env, REELAY_PORT: port, PORT: port },
    stdio: ['ignore', 'pipe', 'pipe'],
    detached: true, // `npm start` runs the server as its child: both are stopped (and measured) as one group
  });
  let output = '';
  let listeningMs = NaN;
  proc.stdout.on('data', (d: Buffer) => {
    if (Number.isNaN(listeningMs) && d.includes('\n')) listeningMs = performance.now() - started;
    output += d.toString();
  });
  proc.stderr.on('data', (d: Buffer) => (output += d.toString()));
  const exited = new Promise<void>((resolve) => proc.once('exit', () => resolve()));
  let healthzMs = NaN;
  let cpuMs = NaN;
  try {
    // Until both happened: the line may come before or after the port first answers.
    while (Number.isNaN(healthzMs) || Number.isNaN(listeningMs)) {
      if (proc.exitCode !== null) throw new Error(`exited early (${proc.exitCode}):\n${output}`);
      if (performance.now() - started > backstopMs) throw new Error(`not up within ${backstopMs} ms:\n${output}`);
      if (Number.isNaN(healthzMs)) {
        const ok = await fetch(`http://127.0.0.1:${port}/healthz`).then(
          (r) => r.ok,
          () => false,
        );
        if (ok) {
          healthzMs = performance.now() - started;
          cpuMs = await groupCpuMs(proc.pid!);
          continue;
        }
      }
      await new Promise((r) => setTimeout(r, 10));
    }
    return { listeningMs, healthzMs, cpuMs, output };
  } finally {
    try {
      process.kill(-proc.pid!, 'SIGTERM');
    } catch {
      // the whole group is gone already (it exited early)
    }
    await exited;
  }
}
