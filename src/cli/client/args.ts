import { parseArgs } from 'node:util';
import { isAspectRatio, isDuration, MAX_SEED, VEO_2_IMAGE2VIDEO, type WaitMode } from '@reelay/sdk';
import { UsageError } from '../usage-error.js';

const OPTIONS = {
  prompt: { type: 'string' },
  duration: { type: 'string' },
  aspect: { type: 'string' },
  seed: { type: 'string' },
  model: { type: 'string' },
  out: { type: 'string', short: 'o' },
  'no-wait': { type: 'boolean' },
  json: { type: 'boolean' },
  timeout: { type: 'string' },
  fault: { type: 'string' },
  mode: { type: 'string' },
  server: { type: 'string' },
  key: { type: 'string' },
  help: { type: 'boolean', short: 'h' },
} as const;

export const DEFAULT_SERVER = 'http://127.0.0.1:8080';
const MODES: readonly WaitMode[] = ['auto', 'sse', 'longpoll', 'poll'];

export interface ClientArgs {
  positionals: string[];
  server: string;
  key: string | undefined;
  json: boolean;
  noWait: boolean;
  help: boolean;
  out: string | undefined;
  timeoutMs: number | undefined;
  mode: WaitMode;
  model: string;
  prompt: string | undefined;
  duration: 5 | 6 | 7 | 8 | undefined;
  aspect: '16:9' | '9:16' | undefined;
  seed: number | undefined;
  /** Emulator fault to request (x-reelay-fault); only servers with faults turned on honour it. */
  fault: string | undefined;
}

/** Flags and environment to typed values; a bad value is a UsageError (exit 2 with help). */
export function parseClientArgs(argv: string[], env: NodeJS.ProcessEnv): ClientArgs {
  let parsed;
  try {
    parsed = parseArgs({ args: argv, options: OPTIONS, allowPositionals: true });
  } catch (err) {
    throw new UsageError(err instanceof Error ? err.message : String(err));
  }
  const v = parsed.values;
  const duration = v.duration === undefined ? undefined : Number(v.duration);
  if (duration !== undefined && !isDuration(duration)) throw new UsageError('--duration must be one of 5, 6, 7, 8');
  if (v.aspect !== undefined && !isAspectRatio(v.aspect)) throw new UsageError('--aspect must be 16:9 or 9:16');
  const seed = v.seed === undefined ? undefined : Number(v.seed);
  if (seed !== undefined && !(Number.isInteger(seed) && seed >= 0 && seed <= MAX_SEED)) throw new UsageError(`--seed must be an integer from 0 to ${MAX_SEED}`);
  const timeout = v.timeout === undefined ? undefined : Number(v.timeout);
  if (timeout !== undefined && !(timeout > 0)) throw new UsageError('--timeout must be a positive number of seconds');
  const mode = (v.mode ?? 'auto') as WaitMode;
  if (!MODES.includes(mode)) throw new UsageError('--mode must be auto, sse, longpoll or poll');
  return {
    positionals: parsed.positionals,
    server: v.server ?? env.REELAY_SERVER ?? DEFAULT_SERVER,
    key: v.key ?? env.REELAY_API_KEY,
    json: v.json ?? false,
    noWait: v['no-wait'] ?? false,
    help: v.help ?? false,
    out: v.out,
    timeoutMs: timeout === undefined ? undefined : timeout * 1000,
    mode,
    model: v.model ?? VEO_2_IMAGE2VIDEO,
    prompt: v.prompt,
    duration,
    aspect: v.aspect,
    seed,
    fault: v.fault,
  };
}
