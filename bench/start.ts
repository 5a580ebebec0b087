import { mkdtemp, rm } from 'node:fs/promises';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { probeStart, type StartTiming } from '../test/helpers/start-probe.js';
import { ratio, table } from './lib.js';

const ROOT = fileURLToPath(new URL('..', import.meta.url));
const ROUNDS = 5;
/** The baseline: the least a Node HTTP server can do to start, printing one line as Reelay does. */
const BARE = `require('node:http').createServer((q, s) => s.end('ok')).listen(+process.env.PORT, '127.0.0.1', () => console.log('listening'))`;

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)] ?? NaN;
}

/**
 * Start time on the built tree (`npm run bench` builds first): spawn → first stdout line and →
 * first /healthz 200, and the CPU the process group used by then, against `node -e` with a bare
 * http server. The cases alternate round by round so they see the same machine.
 */
export async function startBench(): Promise<void> {
  const dir = await mkdtemp(join(tmpdir(), 'reelay-bench-start-'));
  const npm = process.env.npm_execpath; // set under `npm run bench`: npm's own CLI, run by this node
  const cases: Array<{ name: string; args: () => string[]; env: () => Record<string, string> }> = [
    { name: 'node -e (bare node:http server)', args: () => ['-e', BARE], env: () => ({}) },
    {
      name: 'Reelay, first start (new data dir: schema, admin key)',
      args: () => [join(ROOT, 'scripts/start.mjs'), 'serve', '--json'],
      env: () => ({ REELAY_DATA_DIR: join(dir, `fresh-${Math.random().toString(36).slice(2)}`) }),
    },
    {
      name: 'Reelay, restart (existing data dir)',
      args: () => [join(ROOT, 'scripts/start.mjs'), 'serve', '--json'],
      env: () => ({ REELAY_DATA_DIR: join(dir, 'kept') }),
    },
    ...(npm
      ? [{ name: 'npm start (restart, via npm)', args: () => [npm, 'start', '--silent', '--', '--json'], env: () => ({ REELAY_DATA_DIR: join(dir, 'kept') }) }]
      : []),
  ];
  const load = loadavg().map((l) => l.toFixed(2));
  const runs = cases.map(() => [] as StartTiming[]);
  try {
    for (let round = 0; round < ROUNDS; round++) {
      for (const [i, c] of cases.entries()) runs[i]!.push(await probeStart(c.args(), { ...c.env() }));
    }
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
  const loadAfter = loadavg().map((l) => l.toFixed(2));
  console.log(`\nStart time on the built tree (median of ${ROUNDS} alternating rounds; load average ${load.join(' ')} before, ${loadAfter.join(' ')} after)`);
  const bare = runs[0]!;
  table(
    cases.map((c, i) => {
      const r = runs[i]!;
      const healthz = median(r.map((t) => t.healthzMs));
      return {
        case: c.name,
        'to listening line ms': median(r.map((t) => t.listeningMs)).toFixed(0),
        'to /healthz ms': healthz.toFixed(0),
        'CPU ms': median(r.map((t) => t.cpuMs)).toFixed(0),
        '/healthz ÷ bare': ratio(healthz, median(bare.map((t) => t.healthzMs))),
        'CPU ÷ bare': ratio(median(r.map((t) => t.cpuMs)), median(bare.map((t) => t.cpuMs))),
      };
    }),
  );
}
