import { runDoctor } from '../ops/doctor/index.js';

const MARK = { ok: 'ok  ', warn: 'warn', fail: 'FAIL' } as const;

/** `reelay doctor`: every check with its result; what failed says how to fix it. Exit 1 on any failure. */
export async function doctorCommand(env: NodeJS.ProcessEnv, opts: { json: boolean }): Promise<void> {
  const checks = await runDoctor(env);
  const healthy = !checks.some((c) => c.status === 'fail');
  if (opts.json) {
    process.stdout.write(`${JSON.stringify({ ok: healthy, checks })}\n`);
  } else {
    const width = Math.max(...checks.map((c) => c.name.length));
    for (const c of checks) {
      process.stdout.write(`${MARK[c.status]}  ${c.name.padEnd(width)}  ${c.detail}\n`);
      if (c.fix) process.stdout.write(`${' '.repeat(width + 8)}fix: ${c.fix}\n`);
    }
    process.stdout.write(healthy ? '\nAll checks passed.\n' : '\nSome checks failed; fix them and run "reelay doctor" again.\n');
  }
  if (!healthy) process.exitCode = 1;
}
