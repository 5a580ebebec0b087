import { execFile } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import pg from 'pg';
import { ffmpegPath } from '../src/media/binaries.js';
import { spawnServer, type ChildServer } from '../test/helpers/child-server.js';
import { sampleDataUri } from '../test/helpers/png.js';
import { dropSchema, PG_URL, uniqueSchema } from '../test/helpers/postgres.js';
import { startS3rver } from '../test/helpers/s3rver.js';
import { ratio, table } from './lib.js';

const KEY = 'rl_bench_scale_key_0000000000000000';
const MODEL = 'veo-2-image2video';
const REQUESTS = 240;
const ENGINE_MS = 250;
const PER_WORKER = 4;

/**
 * Throughput of N api + N worker processes on PostgreSQL + S3 with a remote-engine stand-in
 * (the `replay` engine: a fixed time per request and no CPU), 1+1 against 2+2 in one run.
 */
export async function scaleBench(): Promise<void> {
  const dir = await mkdtemp(join(tmpdir(), 'reelay-bench-scale-'));
  const s3 = await startS3rver();
  const db = new pg.Client({ connectionString: PG_URL });
  await db.connect();
  try {
    await promisify(execFile)(ffmpegPath(), [
      '-v',
      'error',
      '-f',
      'lavfi',
      '-i',
      'testsrc2=s=320x180:d=1:r=24',
      '-pix_fmt',
      'yuv420p',
      join(dir, 'replay.mp4'),
    ]);
    await writeFile(
      join(dir, 'reelay.config.json'),
      JSON.stringify({ models: { [MODEL]: { engine: 'replay' } }, replay: { video: join(dir, 'replay.mp4'), delay: ENGINE_MS } }),
    );
    const image = await sampleDataUri(32, 18);
    const results: Array<{ n: number; rps: number }> = [];
    for (const n of [1, 2]) results.push({ n, rps: await throughput(n, dir, s3, db, image) });
    console.log(
      `\nScale-out: ${REQUESTS} requests through N api + N worker processes (PostgreSQL + S3), engine stand-in ${ENGINE_MS} ms/request, ${PER_WORKER} per worker`,
    );
    const base = results[0]!.rps;
    table(results.map((r) => ({ processes: `${r.n} api + ${r.n} worker`, 'requests/s': r.rps.toFixed(1), 'vs 1+1': ratio(r.rps, base) })));
    console.log('  Goal: 2+2 at least 1.70× of 1+1.');
  } finally {
    await db.end();
    await s3.stop();
    await rm(dir, { recursive: true, force: true });
  }
}

async function throughput(n: number, dir: string, s3: Awaited<ReturnType<typeof startS3rver>>, db: pg.Client, image: string): Promise<number> {
  const schema = uniqueSchema();
  const env = {
    REELAY_CONFIG: join(dir, 'reelay.config.json'),
    REELAY_DATA_DIR: join(dir, 'data'),
    DATABASE_URL: PG_URL,
    REELAY_DATABASE_SCHEMA: schema,
    REELAY_S3_BUCKET: s3.bucket,
    REELAY_S3_ENDPOINT: s3.endpoint,
    REELAY_S3_ACCESS_KEY_ID: s3.accessKeyId,
    REELAY_S3_SECRET_ACCESS_KEY: s3.secretAccessKey,
    REELAY_S3_FORCE_PATH_STYLE: 'true',
    REELAY_BOOTSTRAP_KEY: KEY,
    REELAY_WORKER_CONCURRENCY: String(PER_WORKER),
    REELAY_LOG_LEVEL: 'error',
    REELAY_SUBMIT_PER_MINUTE: '1000000',
    REELAY_POLL_PER_MINUTE: '1000000',
    REELAY_MAX_INFLIGHT: '1000000',
    REELAY_BOOTSTRAP_CREDITS: '1000000000',
  };
  const children: ChildServer[] = [];
  try {
    // Schema first (one process migrates), then the rest.
    children.push(await spawnServer(env, 'api'));
    for (let i = 1; i < n; i++) children.push(await spawnServer(env, 'api'));
    const apis = [...children];
    for (let i = 0; i < n; i++) children.push(await spawnServer(env, 'worker'));
    const started = performance.now();
    let next = 0;
    await Promise.all(
      Array.from({ length: 16 }, async (_, client) => {
        while (next < REQUESTS) {
          next++;
          const api = apis[client % apis.length]!;
          const res = await fetch(`${api.url}/v2/${MODEL}`, {
            method: 'POST',
            headers: { 'x-api-key': KEY, 'content-type': 'application/json' },
            body: JSON.stringify({ image }),
          });
          if (res.status !== 200) throw new Error(`submit ${res.status}`);
          await res.arrayBuffer();
        }
      }),
    );
    for (;;) {
      const { rows } = await db.query<{ n: string }>(`select count(*) n from "${schema}".requests where status = 'COMPLETED'`);
      if (Number(rows[0]!.n) >= REQUESTS) break;
      await new Promise((r) => setTimeout(r, 50));
    }
    return REQUESTS / ((performance.now() - started) / 1000);
  } finally {
    for (const c of children) c.proc.kill('SIGTERM');
    await Promise.all(children.map((c) => c.exited));
    await dropSchema(schema);
  }
}
