import { randomUUID } from 'node:crypto';
import type { Services } from '../src/core/context.js';
import { checkImageBytes, DEFAULT_IMAGE_LIMITS } from '../src/core/image/index.js';
import { decodeDataUri } from '../src/core/image/inline-image.js';
import type { NewRequest } from '../src/store/store.js';
import { benchRequest, table } from './lib.js';

const ROUNDS = 300;

/** Runs `op` ROUNDS times from `concurrency` callers; wall and CPU time (all threads) per call. */
async function stage(name: string, concurrency: number, op: (i: number) => unknown): Promise<Record<string, string>> {
  let next = 0;
  const cpu = process.cpuUsage();
  const started = performance.now();
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      while (next < ROUNDS) await op(next++);
    }),
  );
  const wallMs = performance.now() - started;
  const used = process.cpuUsage(cpu);
  return {
    stage: name,
    callers: String(concurrency),
    'wall µs/call': ((wallMs * 1000) / ROUNDS).toFixed(0),
    'CPU µs/call': ((used.user + used.system) / ROUNDS).toFixed(0),
    'calls/s': ((ROUNDS / wallMs) * 1000).toFixed(0),
  };
}

/**
 * Where a submit's time goes, stage by stage, on the same machine in the same run as the
 * end-to-end figure: each stage alone, in this process, with the submit bench's image.
 */
export async function submitStages(services: Services, accountId: string, body: string, model: string): Promise<void> {
  const image = (JSON.parse(body) as { image: string }).image;
  const bytes = decodeDataUri(image, DEFAULT_IMAGE_LIMITS);
  const request = (): NewRequest => benchRequest(accountId, model);
  console.log(`  per stage (${ROUNDS} calls each, CPU counts every thread of the process; ${services.store.kind}):`);
  table([
    await stage('JSON body parse', 1, () => JSON.parse(body)),
    await stage('data URI → bytes (strict base64)', 1, () => decodeDataUri(image, DEFAULT_IMAGE_LIMITS)),
    await stage('image check (sharp: header + full decode)', 16, () => checkImageBytes(bytes, DEFAULT_IMAGE_LIMITS)),
    await stage('input blob write', 16, (i) => services.blobs.put(`inputs/stage-${i}-${randomUUID()}`, { bytes })),
    await stage('store: charge + enqueue (group commit)', 16, () => services.store.enqueuePaid(request(), Number.MAX_SAFE_INTEGER)),
  ]);
}
