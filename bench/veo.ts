import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseConfig } from '../src/config.js';
import { createVeoEngine } from '../src/engines/veo/index.js';
import { silentLogger } from '../src/logger.js';
import { startServer } from '../src/server.js';
import { startGeminiFake } from '../test/fakes/gemini.js';
import { cleanup, makeContext, makeJob } from '../test/fakes/job.js';
import { sampleDataUri } from '../test/helpers/png.js';
import { percentile } from './lib.js';

const KEY = 'rl_bench_veo_key_000000000000000000';
const N = 20;
const POLL = { initialMs: 200, maxMs: 200 };

/**
 * Reelay's added latency on a remote engine: the same fake Gemini, the same poll schedule, once
 * called directly through the engine (the fake's own time) and once through Reelay's HTTP API
 * (submit, queue, claim, store the MP4, notify, long-poll). The difference is Reelay's overhead.
 */
export async function veoBench(): Promise<void> {
  const fake = await startGeminiFake();
  fake.scenario.pollsBeforeDone = 2;
  const direct: number[] = [];
  const engine = createVeoEngine({ gemini: { apiKey: fake.apiKey, baseUrl: fake.url }, poll: POLL });
  for (let i = 0; i < N; i++) {
    const job = await makeJob();
    const started = performance.now();
    await engine.run(job, makeContext());
    direct.push(performance.now() - started);
    await cleanup(job);
  }

  const dataDir = await mkdtemp(join(tmpdir(), 'reelay-bench-veo-'));
  const server = await startServer(
    parseConfig({
      host: '127.0.0.1',
      port: 0,
      dataDir,
      bootstrapKey: KEY,
      logLevel: 'silent',
      veo: { apiKey: fake.apiKey, baseUrl: fake.url, pollInterval: POLL.initialMs, pollMaxInterval: POLL.maxMs },
      worker: { pollInterval: 1000 },
    }),
    silentLogger(),
  );
  const viaReelay: number[] = [];
  try {
    const image = await sampleDataUri(64, 36);
    for (let i = 0; i < N; i++) {
      const started = performance.now();
      const res = await fetch(`${server.url}/v2/veo-2-image2video`, {
        method: 'POST',
        headers: { 'x-api-key': KEY, 'content-type': 'application/json' },
        body: JSON.stringify({ image, prompt: 'a red square drifts', duration: 6 }),
      });
      const { request_id: id } = (await res.json()) as { request_id: string };
      for (;;) {
        const status = (await (await fetch(`${server.url}/v2/requests/${id}/status?wait=30`, { headers: { 'x-api-key': KEY } })).json()) as { status: string };
        if (status.status === 'COMPLETED') break;
        if (status.status === 'FAILED') throw new Error('veo bench request failed');
      }
      viaReelay.push(performance.now() - started);
    }
  } finally {
    await server.close();
    await rm(dataDir, { recursive: true, force: true });
    await fake.close();
  }
  const added = percentile(viaReelay, 50) - percentile(direct, 50);
  console.log(`\nVeo engine against a fake Gemini on loopback (${N} requests, 2 polls at ${POLL.initialMs} ms)`);
  console.log(`  engine called directly (the fake's own time): p50 ${percentile(direct, 50).toFixed(0)} ms`);
  console.log(`  through Reelay's HTTP API (submit → COMPLETED seen by a long-poll): p50 ${percentile(viaReelay, 50).toFixed(0)} ms`);
  console.log(`  Reelay's added latency per request: ${added.toFixed(0)} ms at p50 (goal: under 100 ms)`);
}
