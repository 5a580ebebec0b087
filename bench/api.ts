import { parseConfig } from '../src/config.js';
import { silentLogger } from '../src/logger.js';
import { startServer, type RunningServer } from '../src/server.js';
import { bareServer, load, loadAverage, percentile, ratio, table } from './lib.js';
import { queuedRssBench } from './queued-rss.js';
import { storeAb } from './store-ab.js';
import { submitStages } from './submit-stages.js';
import { hashKey } from '../src/core/api-keys.js';
import { sampleDataUri } from '../test/helpers/png.js';
import { dropSchema, PG_URL, uniqueSchema } from '../test/helpers/postgres.js';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const KEY = 'rl_bench_admin_key_00000000000000000';
const MODEL = 'veo-2-image2video';
const SUBMIT_CLIENTS = 16;
const SUBMIT_SECONDS = 5;

interface Started {
  server: RunningServer;
  stop(): Promise<void>;
}

async function start(backend: 'sqlite' | 'postgres', extra: Record<string, unknown> = {}): Promise<Started> {
  const dataDir = await mkdtemp(join(tmpdir(), 'reelay-bench-'));
  const schema = backend === 'postgres' ? uniqueSchema() : undefined;
  const config = parseConfig({
    host: '127.0.0.1',
    port: 0,
    dataDir,
    bootstrapKey: KEY,
    logLevel: 'silent',
    limits: { submitPerMinute: 10_000_000, pollPerMinute: 10_000_000, maxInflight: 10_000_000 },
    bootstrapCredits: 1_000_000_000,
    ...(schema ? { databaseUrl: PG_URL, databaseSchema: schema } : {}),
    ...extra,
  });
  const server = await startServer(config, silentLogger());
  return {
    server,
    async stop() {
      await server.close();
      await rm(dataDir, { recursive: true, force: true });
      if (schema) await dropSchema(schema);
    },
  };
}

type LoadResult = Awaited<ReturnType<typeof load>>;

async function untilCompleted(url: string, id: string): Promise<void> {
  for (;;) {
    const res = await fetch(`${url}/v2/requests/${id}/status?wait=30`, { headers: { 'x-api-key': KEY } });
    const body = (await res.json()) as { status: string };
    if (body.status === 'COMPLETED') return;
    if (body.status === 'FAILED') throw new Error(`bench request failed: ${JSON.stringify(body)}`);
  }
}

async function submit(url: string, image: string): Promise<string> {
  const res = await fetch(`${url}/v2/${MODEL}`, {
    method: 'POST',
    headers: { 'x-api-key': KEY, 'content-type': 'application/json' },
    body: JSON.stringify({ image }),
  });
  if (res.status !== 200) throw new Error(`submit ${res.status}: ${await res.text()}`);
  return ((await res.json()) as { request_id: string }).request_id;
}

/**
 * Durable submits per second: each one validated, charged and committed before its 200, sent by
 * the load tool in its own process (as for status polls) so the clients' work is not counted as
 * the server's. Every 200 must be a queued request afterwards.
 */
async function submitThroughput(backend: 'sqlite' | 'postgres', image: string, seconds: number, concurrency: number): Promise<LoadResult> {
  const s = await start(backend, { worker: { enabled: false } });
  try {
    const result = await load({
      url: `${s.server.url}/v2/${MODEL}`,
      method: 'POST',
      body: JSON.stringify({ image }),
      headers: { 'x-api-key': KEY, 'content-type': 'application/json' },
      concurrency,
      seconds,
    });
    const { store } = s.server.services;
    const queued = await store.queuedCount();
    if (queued !== result.count) throw new Error(`${backend}: ${result.count} submits answered 200 but ${queued} requests are queued`);
    console.log(`  ${backend}: ${result.rps.toFixed(0)} submits/s (load average ${loadAverage()})`);
    const admin = await store.findActiveKey(hashKey(KEY), Date.now());
    await submitStages(s.server.services, admin!.accountId, JSON.stringify({ image }), MODEL);
    return result;
  } finally {
    await s.stop();
  }
}

/** The sections of `npm run bench api`; `npm run bench api <section>` runs one of them. */
const SECTIONS = ['submits', 'store', 'status', 'rss', 'notify'] as const;

export async function apiBench(section = process.argv[3]): Promise<void> {
  if (section !== undefined && !(SECTIONS as readonly string[]).includes(section))
    throw new Error(`bench api: no section ${section}; one of ${SECTIONS.join(', ')}`);
  const runs = (name: (typeof SECTIONS)[number]) => section === undefined || section === name;
  const image = await sampleDataUri(64, 36);
  if (runs('submits')) await submitBench();
  if (runs('store')) await storeAb();
  if (runs('status')) await statusBench(image);
  if (runs('rss')) await queuedRssBench();
  if (runs('notify')) await notifyBench(image);
}

async function submitBench(): Promise<void> {
  // The submit figure: a data-URI image of about 20 KB.
  const submitImage = await sampleDataUri(480, 270);
  console.log(
    `\nDurable submit throughput (POST /v2, worker off, data-URI PNG 480×270 of ${submitImage.length} bytes; load tool in its own process, ${SUBMIT_CLIENTS} keep-alive connections, ${SUBMIT_SECONDS} s per store, one account)`,
  );
  const sqlite = await submitThroughput('sqlite', submitImage, SUBMIT_SECONDS, SUBMIT_CLIENTS);
  const postgres = await submitThroughput('postgres', submitImage, SUBMIT_SECONDS, SUBMIT_CLIENTS);
  const submitRow = (store: string, r: LoadResult, goal: number) => ({
    store,
    'submits/s': r.rps.toFixed(0),
    'p50 ms': r.p50.toFixed(1),
    'p99 ms': r.p99.toFixed(1),
    errors: r.errors,
    goal: `≥ ${goal}/s`,
    'vs SQLite': ratio(r.rps, sqlite.rps),
  });
  table([submitRow('SQLite (WAL, synchronous=FULL)', sqlite, 2000), submitRow('PostgreSQL', postgres, 1000)]);
}

async function statusBench(image: string): Promise<void> {
  console.log(
    '\nStatus GET throughput vs a bare node:http server (same load tool in its own process, 50 keep-alive connections, 5 s each, one COMPLETED request)',
  );
  const s = await start('sqlite', { models: { [MODEL]: { engine: 'motion' } } });
  const bare = await bareServer(
    '{"request_id":"x","status":"COMPLETED","created_at":"2026-01-01T00:00:00.000Z","started_at":"2026-01-01T00:00:00.100Z","completed_at":"2026-01-01T00:00:03.000Z","expires_at":"2026-01-01T01:00:03.000Z"}',
  );
  try {
    const id = await submit(s.server.url, image);
    await untilCompleted(s.server.url, id);
    const statusUrl = `${s.server.url}/v2/requests/${id}/status`;
    // Alternated twice, best of each: the two servers see the same machine state.
    const runs = { reelay: [] as LoadResult[], bare: [] as LoadResult[] };
    for (let round = 0; round < 2; round++) {
      runs.reelay.push(await load({ url: statusUrl, headers: { 'x-api-key': KEY }, concurrency: 50, seconds: 5 }));
      runs.bare.push(await load({ url: bare.url, concurrency: 50, seconds: 5 }));
      console.log(
        `  round ${round + 1}: Reelay ${runs.reelay[round]!.rps.toFixed(0)} req/s, bare ${runs.bare[round]!.rps.toFixed(0)} req/s, ratio ${ratio(runs.reelay[round]!.rps, runs.bare[round]!.rps)} (load average ${loadAverage()})`,
      );
    }
    const best = (rs: LoadResult[]): LoadResult => rs.reduce((a, b) => (b.rps > a.rps ? b : a));
    const reelay = best(runs.reelay);
    const baseline = best(runs.bare);
    table([
      {
        server: 'bare node:http (fixed JSON)',
        'req/s': baseline.rps.toFixed(0),
        'p50 ms': baseline.p50.toFixed(2),
        'p99 ms': baseline.p99.toFixed(2),
        'Reelay ÷ bare': '1.00×',
      },
      {
        server: 'Reelay status (auth + rate limit + store read)',
        'req/s': reelay.rps.toFixed(0),
        'p50 ms': reelay.p50.toFixed(2),
        'p99 ms': reelay.p99.toFixed(2),
        'Reelay ÷ bare': ratio(reelay.rps, baseline.rps),
      },
    ]);
    const errors = [...runs.reelay, ...runs.bare].reduce((n, r) => n + r.errors, 0);
    if (errors > 0) console.log(`  errors: ${errors}`);
  } finally {
    await bare.close();
    await s.stop();
  }
}

async function notifyBench(image: string): Promise<void> {
  console.log('\nNotification latency: COMPLETED committed by the worker → a long-polling client receives it');
  for (const backend of ['sqlite', 'postgres'] as const) {
    const lat = await notificationLatency(backend, image, 40);
    console.log(
      `  ${backend.padEnd(8)} p50 ${percentile(lat, 50).toFixed(1)} ms, p95 ${percentile(lat, 95).toFixed(1)} ms, max ${Math.max(...lat).toFixed(1)} ms (goal: p95 < 50 ms)`,
    );
  }
}

/**
 * For each request: a client long-polls its status while the worker finishes it; latency is the
 * client's receive time minus the completed_at the worker wrote in the same commit (one clock).
 */
async function notificationLatency(backend: 'sqlite' | 'postgres', image: string, n: number): Promise<number[]> {
  const { mkdtemp: mk } = await import('node:fs/promises');
  const { execFile } = await import('node:child_process');
  const { promisify } = await import('node:util');
  const { ffmpegPath } = await import('../src/media/binaries.js');
  const dir = await mk(join(tmpdir(), 'reelay-bench-replay-'));
  const video = join(dir, 'replay.mp4');
  await promisify(execFile)(ffmpegPath(), ['-v', 'error', '-f', 'lavfi', '-i', 'testsrc2=s=320x180:d=1:r=24', '-pix_fmt', 'yuv420p', video]);
  const s = await start(backend, { models: { [MODEL]: { engine: 'replay' } }, replay: { video, delay: 200 }, worker: { concurrency: 1, pollInterval: 1000 } });
  const latencies: number[] = [];
  try {
    for (let i = 0; i < n; i++) {
      const id = await submit(s.server.url, image);
      for (;;) {
        const res = await fetch(`${s.server.url}/v2/requests/${id}/status?wait=30`, { headers: { 'x-api-key': KEY } });
        const received = Date.now();
        const body = (await res.json()) as { status: string; completed_at?: string };
        if (body.status === 'COMPLETED') {
          latencies.push(received - Date.parse(body.completed_at!));
          break;
        }
      }
    }
  } finally {
    await s.stop();
    await rm(dir, { recursive: true, force: true });
  }
  return latencies;
}
