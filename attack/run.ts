import { parseArgs } from 'node:util';
import { goals, renderReport } from './report.js';
import { runAttack } from './suite.js';

/**
 * `npm run attack`: the black-box attack suite against a real server on loopback.
 * Options (argv or env): --seed / ATTACK_SEED, --fuzz / ATTACK_FUZZ, --burst / ATTACK_BURST,
 * --mode child|inproc / ATTACK_MODE, --no-big (skip 21 MB payloads).
 */
const { values } = parseArgs({
  options: {
    seed: { type: 'string', default: process.env.ATTACK_SEED ?? '1' },
    fuzz: { type: 'string', default: process.env.ATTACK_FUZZ ?? '3000' },
    burst: { type: 'string', default: process.env.ATTACK_BURST ?? '300' },
    mode: { type: 'string', default: process.env.ATTACK_MODE ?? 'child' },
    parallel: { type: 'string', default: process.env.ATTACK_PARALLEL ?? '8' },
    'no-big': { type: 'boolean', default: false },
  },
});

const mode = values.mode === 'inproc' ? 'inproc' : 'child';
const result = await runAttack({
  seed: Number(values.seed),
  fuzz: Number(values.fuzz),
  burst: Number(values.burst),
  mode,
  big: !values['no-big'],
  parallel: Number(values.parallel),
  log: (line) => console.error(`[attack] ${line}`),
});
console.log(renderReport(result.tally, result.mem, result.seconds));
const failed = goals(result.tally, result.mem).filter((g) => g.pass === false);
process.exit(failed.length ? 1 : 0);
