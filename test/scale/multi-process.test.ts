import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { fakeVideo } from '../fakes/video.js';
import { spawnServer, type ChildServer } from '../helpers/child-server.js';
import { sampleDataUri } from '../helpers/png.js';
import { dropSchema, PG_URL, uniqueSchema } from '../helpers/postgres.js';
import { startS3rver, type RunningS3rver } from '../helpers/s3rver.js';
import { readSse } from '../helpers/sse.js';
import { expectSpecVideo, probeBytes } from '../helpers/video.js';

/**
 * Scale-out reliability with real processes: api and worker children sharing one PostgreSQL
 * schema and one S3 bucket (s3rver). The `replay` engine answers with a pre-rendered MP4 after a
 * fixed delay, so hundreds of requests test the queue, not the renderer.
 */
const KEY = 'rl_scale_test_admin_key_000000000000';
const MODEL = 'veo-2-image2video';
let dir: string;
let schema: string;
let s3: RunningS3rver;
let db: pg.Client;
let image: string;
const children = new Set<ChildServer>();
const everStarted = new Set<ChildServer>();

async function writeConfig(delayMs: number): Promise<void> {
  const config = {
    models: { [MODEL]: { engine: 'replay', price: { perSecond: 1, perRequest: 0 } } },
    replay: { video: join(dir, 'fixture.mp4'), delay: delayMs },
  };
  await writeFile(join(dir, 'reelay.config.json'), JSON.stringify(config));
}

function env(): Record<string, string> {
  return {
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
    REELAY_EMULATOR_FAULTS: 'true',
    REELAY_SLOW_FAULT_DURATION: '2500',
    REELAY_LEASE: '2000',
    REELAY_HEARTBEAT: '400',
    REELAY_WORKER_CONCURRENCY: '8',
    REELAY_SUBMIT_PER_MINUTE: '1000000',
    REELAY_POLL_PER_MINUTE: '1000000',
    REELAY_MAX_INFLIGHT: '1000000',
    REELAY_SHUTDOWN_GRACE: '5000',
  };
}

async function start(role: 'api' | 'worker'): Promise<ChildServer> {
  const child = await spawnServer(env(), role);
  children.add(child);
  everStarted.add(child);
  void child.exited.then(() => children.delete(child));
  return child;
}

async function stopAll(signal: NodeJS.Signals = 'SIGTERM'): Promise<void> {
  const all = [...children];
  for (const child of all) child.proc.kill(signal);
  await Promise.all(all.map((c) => c.exited));
}

async function submit(api: ChildServer, headers: Record<string, string> = {}): Promise<string> {
  const res = await fetch(`${api.url}/v2/${MODEL}`, {
    method: 'POST',
    headers: { 'x-api-key': KEY, 'content-type': 'application/json', ...headers },
    body: JSON.stringify({ image, seed: 1 }),
  });
  if (res.status !== 200) throw new Error(`submit answered ${res.status}: ${await res.text()}`);
  return ((await res.json()) as { request_id: string }).request_id;
}

async function submitMany(apis: ChildServer[], n: number): Promise<string[]> {
  const ids: string[] = [];
  for (let i = 0; i < n; i += 25) {
    const batch = Array.from({ length: Math.min(25, n - i) }, (_, j) => submit(apis[(i + j) % apis.length]!));
    ids.push(...(await Promise.all(batch)));
  }
  return ids;
}

/** Status counts, of the given requests only: each test judges its own work, never another's leftovers. */
async function counts(ids?: string[]): Promise<Record<string, number>> {
  const { rows } = ids
    ? await db.query<{ status: string; n: string }>(`select status, count(*) n from "${schema}".requests where id = any($1) group by status`, [ids])
    : await db.query<{ status: string; n: string }>(`select status, count(*) n from "${schema}".requests group by status`);
  return Object.fromEntries(rows.map((r) => [r.status, Number(r.n)]));
}

/** What a timeout prints: where the queue stood and what every child said. */
async function diagnosis(what: string): Promise<Error> {
  const outputs = [...everStarted].map(
    (c) => `--- pid ${c.proc.pid} (${c.role}, ${c.proc.exitCode ?? c.proc.signalCode ?? 'running'}):\n${c.output().slice(-4000)}`,
  );
  return new Error(`timed out waiting for ${what}; queue ${JSON.stringify(await counts())}\n${outputs.join('\n')}`);
}

/** Waits for a condition with a fixed deadline: for single events whose time does not grow with the load. */
async function until(check: () => Promise<boolean>, timeoutMs: number, what: string): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > deadline) throw await diagnosis(what);
    await new Promise((r) => setTimeout(r, 200));
  }
}

/**
 * Waits until every one of `ids` is COMPLETED. The deadline follows the work instead of a guess: it
 * fails only when no request has finished for STALL_MS, so a loaded machine that is slow but moving
 * passes, and a stopped queue fails with the children's output.
 */
const STALL_MS = 45_000;
async function allCompleted(ids: string[], what: string): Promise<void> {
  let done = -1;
  let lastProgress = Date.now();
  for (;;) {
    const now = (await counts(ids)).COMPLETED ?? 0;
    if (now === ids.length) return;
    if (now > done) [done, lastProgress] = [now, Date.now()];
    else if (Date.now() - lastProgress > STALL_MS) throw await diagnosis(`${what} (${now}/${ids.length}, no progress for ${STALL_MS / 1000}s)`);
    await new Promise((r) => setTimeout(r, 200));
  }
}

/** Every process that should be running still is: no fault may kill an api or a worker. */
function expectAllAlive(processes: ChildServer[]): void {
  const dead = processes.filter((c) => c.proc.exitCode !== null || c.proc.signalCode !== null);
  expect(dead.map((c) => `${c.role} pid ${c.proc.pid} exited (${c.proc.exitCode ?? c.proc.signalCode}):\n${c.output().slice(-4000)}`)).toEqual([]);
}

async function status(api: ChildServer, id: string): Promise<Record<string, unknown>> {
  return (await (await fetch(`${api.url}/v2/requests/${id}/status`, { headers: { 'x-api-key': KEY } })).json()) as Record<string, unknown>;
}

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'reelay-scale-'));
  await writeFile(join(dir, 'fixture.mp4'), await fakeVideo());
  image = await sampleDataUri(32, 18);
  schema = uniqueSchema();
  s3 = await startS3rver();
  db = new pg.Client({ connectionString: PG_URL });
  await db.connect();
});

afterAll(async () => {
  await stopAll('SIGKILL');
  await db?.end();
  await s3?.stop();
  if (schema) await dropSchema(schema);
  await rm(dir, { recursive: true, force: true });
});

// Real processes on two cores next to the rest of the suite: generous per-test time.
// Deadlines inside the tests follow the work (see allCompleted); the vitest timeout is only a backstop.
describe('scale-out on PostgreSQL + S3 with real processes', { timeout: 600_000 }, () => {
  let apis: ChildServer[];
  let workers: ChildServer[];

  it('2 api + 2 workers starting at once: 200 requests complete exactly once, any api answers for any request', async () => {
    await writeConfig(300);
    [apis, workers] = await Promise.all([Promise.all([start('api'), start('api')]), Promise.all([start('worker'), start('worker')])]);
    const [a, b] = apis as [ChildServer, ChildServer];

    // SSE on one api process for a request submitted to the other sees its progress and completion.
    const watched = await submit(a);
    const streamed = readSse(await fetch(`${b.url}/v2/requests/${watched}/events`, { headers: { 'x-api-key': KEY } }));

    const ids = await submitMany(apis, 200);
    await allCompleted([watched, ...ids], '201 COMPLETED');
    const events = await streamed;
    expect(events.at(-1)?.event).toBe('completed');

    for (const id of ids.slice(0, 10)) expect((await status(a, id)).status).toBe('COMPLETED');
    for (const id of ids.slice(-10)) expect((await status(b, id)).status).toBe('COMPLETED');
    const all = [watched, ...ids];
    const { rows } = await db.query(`select count(*) n, count(distinct output_key) k, max(attempts) a from "${schema}".requests where id = any($1)`, [all]);
    expect(rows[0]).toEqual({ n: '201', k: '201', a: 1 });
    const ledger = await db.query(`select kind, count(*) n from "${schema}".ledger where request_id = any($1) group by kind`, [all]);
    expect(ledger.rows).toEqual([{ kind: 'charge', n: '201' }]);
  });

  it('kill -9 of a worker mid-render: the other worker completes it after the lease, charged once, output complete', async () => {
    const id = await submit(apis[0]!, { 'x-reelay-fault': 'slow' });
    await until(async () => (await status(apis[0]!, id)).status === 'PROCESSING', 30_000, 'PROCESSING');
    const { rows } = await db.query<{ lease_owner: string }>(`select lease_owner from "${schema}".requests where id = $1`, [id]);
    const pid = Number(rows[0]!.lease_owner.split(':')[1]);
    const victim = workers.find((w) => w.proc.pid === pid)!;
    expect(victim).toBeDefined();
    victim.proc.kill('SIGKILL');
    await victim.exited;
    expectAllAlive([...apis, ...workers.filter((w) => w !== victim)]);
    await allCompleted([id], 'COMPLETED after takeover');
    const row = await db.query(`select attempts from "${schema}".requests where id = $1`, [id]);
    expect(row.rows[0]).toEqual({ attempts: 2 });
    const charges = await db.query(`select kind from "${schema}".ledger where request_id = $1`, [id]);
    expect(charges.rows).toEqual([{ kind: 'charge' }]);
    const result = (await (await fetch(`${apis[1]!.url}/v2/requests/${id}`, { headers: { 'x-api-key': KEY } })).json()) as { output: string };
    const bytes = new Uint8Array(await (await fetch(result.output)).arrayBuffer());
    expectSpecVideo(await probeBytes(bytes), { width: 1280, height: 720 }, 5);
    workers = workers.filter((w) => w !== victim);
    workers.push(await start('worker'));
  });

  it('PostgreSQL connections terminated: every process survives and reconnects, and no request is lost', async () => {
    const first = await submitMany(apis, 20);
    const { rows } = await db.query<{ pid: number }>(`select pid, pg_terminate_backend(pid) from pg_stat_activity where application_name = $1`, [
      `reelay_${schema}`,
    ]);
    const pids = rows.map((r) => r.pid);
    expect(pids.length).toBeGreaterThan(0);
    // A backend is gone once the server no longer lists it; its client hears of it at the same moment.
    await until(async () => (await db.query('select 1 from pg_stat_activity where pid = any($1)', [pids])).rowCount === 0, 30_000, 'terminated backends gone');
    await new Promise((r) => setTimeout(r, 500)); // time for a process that would die of it to be seen dead
    expectAllAlive([...apis, ...workers]);
    const second = await submitMany(apis, 20);
    await allCompleted([...first, ...second], 'all 40 COMPLETED after reconnect');
    expect(new Set([...first, ...second]).size).toBe(40);
    expectAllAlive([...apis, ...workers]);
  });

  it('S3 down during the upload: the request retries and completes, never COMPLETED without a readable output', async () => {
    const id = await submit(apis[0]!, { 'x-reelay-fault': 'slow' });
    await until(async () => (await status(apis[0]!, id)).status === 'PROCESSING', 30_000, 'PROCESSING');
    await s3.pause();
    await new Promise((r) => setTimeout(r, 6000)); // the render ends and its upload fails while S3 is down, past the SDK's own retries
    await s3.resume();
    expectAllAlive([...apis, ...workers]);
    await until(async () => ['COMPLETED', 'FAILED'].includes(String((await status(apis[0]!, id)).status)), 60_000, 'finished');
    const final = await status(apis[0]!, id);
    if (final.status === 'COMPLETED') {
      const result = (await (await fetch(`${apis[0]!.url}/v2/requests/${id}`, { headers: { 'x-api-key': KEY } })).json()) as { output: string };
      const res = await fetch(result.output);
      expect(res.status).toBe(200);
      expect((await res.arrayBuffer()).byteLength).toBeGreaterThan(1000);
    } else {
      const refunds = await db.query(`select kind from "${schema}".ledger where request_id = $1 and kind = 'refund'`, [id]);
      expect(refunds.rows).toHaveLength(1);
    }
  });

  it('restart: 1,000 queued requests, everything stopped and started again, all complete, none twice', async () => {
    for (const w of workers) w.proc.kill('SIGTERM');
    await Promise.all(workers.map((w) => w.exited));
    const ids = await submitMany(apis, 1000);
    expect(await counts(ids)).toEqual({ QUEUED: 1000 });
    await stopAll('SIGTERM');
    await writeConfig(0);
    apis = await Promise.all([start('api'), start('api')]);
    workers = await Promise.all([start('worker'), start('worker')]);
    await allCompleted(ids, '1000 COMPLETED after restart');
    const { rows } = await db.query(`select max(attempts) a, count(distinct output_key) k from "${schema}".requests where id = any($1)`, [ids]);
    expect(rows[0]).toEqual({ a: 1, k: '1000' });
    const charges = await db.query(`select count(*) n from "${schema}".ledger where kind = 'charge' and request_id = any($1)`, [ids]);
    expect(charges.rows[0]).toEqual({ n: '1000' });
  });
});
