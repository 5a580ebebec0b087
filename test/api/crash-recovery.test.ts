import { createHash } from 'node:crypto';
import { readdir, readFile } from 'node:fs/promises';
import { createServer } from 'node:http';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { spawnServer, type ChildServer } from '../helpers/child-server.js';
import { closedPort } from '../helpers/loopback.js';
import { sampleDataUri } from '../helpers/png.js';
import { tempDir } from '../helpers/temp-dir.js';

const KEY = 'rl_crash_test_key_0123456789abcdef';
let dataDir: string;
let children: ChildServer[] = [];

beforeEach(async () => {
  dataDir = await tempDir('reelay-crash-');
});
afterEach(async () => {
  for (const child of children) if (child.proc.exitCode === null) child.proc.kill('SIGKILL');
  await Promise.all(children.map((c) => c.exited));
  children = [];
});

const env = (extra: Record<string, string> = {}): Record<string, string> => ({
  REELAY_DATA_DIR: dataDir,
  REELAY_BOOTSTRAP_KEY: KEY,
  REELAY_EMULATOR_FAULTS: 'true',
  REELAY_SLOW_FAULT_DURATION: '3000',
  REELAY_LEASE: '1500',
  REELAY_HEARTBEAT: '300',
  ...extra,
});

async function start(extra?: Record<string, string>): Promise<ChildServer> {
  const child = await spawnServer(env(extra));
  children.push(child);
  return child;
}

async function statusOf(child: ChildServer, id: string): Promise<string> {
  const res = await fetch(`${child.url}/v2/requests/${id}/status`, { headers: { 'x-api-key': KEY } });
  return ((await res.json()) as { status: string }).status;
}

async function until(check: () => Promise<boolean>, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error('condition not met in time');
    await new Promise((r) => setTimeout(r, 100));
  }
}

async function submitSlow(child: ChildServer): Promise<string> {
  const res = await fetch(`${child.url}/v2/veo-2-image2video`, {
    method: 'POST',
    headers: { 'x-api-key': KEY, 'content-type': 'application/json', 'x-reelay-fault': 'slow' },
    body: JSON.stringify({ image: await sampleDataUri(160, 90), seed: 1 }),
  });
  expect(res.status).toBe(200);
  return ((await res.json()) as { request_id: string }).request_id;
}

function row(id: string): { status: string; attempts: number } {
  const db = new Database(join(dataDir, 'reelay.db'), { readonly: true });
  try {
    return db.prepare('select status, attempts from requests where id = ?').get(id) as { status: string; attempts: number };
  } finally {
    db.close();
  }
}

describe('durability across crashes and restarts', () => {
  it('SIGKILL while PROCESSING: after restart the request completes exactly once', async () => {
    const first = await start();
    const id = await submitSlow(first);
    await until(async () => (await statusOf(first, id)) === 'PROCESSING', 10_000);
    first.proc.kill('SIGKILL');
    await first.exited;

    const second = await start();
    await until(async () => (await statusOf(second, id)) === 'COMPLETED', 30_000);
    const outputs = (await readdir(join(dataDir, 'blobs', 'outputs'))).filter((f) => f.startsWith(id));
    expect(outputs).toHaveLength(1);
    second.proc.kill('SIGTERM');
    expect(await second.exited).toBe(0);
    expect(row(id)).toEqual({ status: 'COMPLETED', attempts: 2 });
  });

  it('SIGTERM stops claiming, gives unfinished work back after the grace period, and exits 0', async () => {
    const first = await start({ REELAY_SHUTDOWN_GRACE: '300' });
    const id = await submitSlow(first);
    await until(async () => (await statusOf(first, id)) === 'PROCESSING', 10_000);
    first.proc.kill('SIGTERM');
    expect(await first.exited).toBe(0);
    // Released without counting the interrupted attempt.
    expect(row(id)).toEqual({ status: 'QUEUED', attempts: 0 });
    const second = await start();
    await until(async () => (await statusOf(second, id)) === 'COMPLETED', 30_000);
  });
});

describe('webhooks survive a crash', () => {
  it('killed after FAILED but before delivery: the delivery happens after restart', async () => {
    // A receiver port that refuses connections until we open it later.
    const hits: string[] = [];
    const receiver = createServer((req, res) => {
      let body = '';
      req.on('data', (d: Buffer) => (body += d.toString()));
      req.on('end', () => {
        hits.push(body);
        res.writeHead(204).end();
      });
    });
    const port = await closedPort();

    const extra = { REELAY_WEBHOOK_ALLOW_LIST: '127.0.0.1/32:*' };
    const first = await start(extra);
    const res = await fetch(`${first.url}/v2/veo-2-image2video`, {
      method: 'POST',
      headers: { 'x-api-key': KEY, 'content-type': 'application/json', 'x-reelay-fault': 'engine_error' },
      body: JSON.stringify({ image: await sampleDataUri(160, 90), webhook: `http://127.0.0.1:${port}/hook` }),
    });
    const id = ((await res.json()) as { request_id: string }).request_id;
    await until(async () => (await statusOf(first, id)) === 'FAILED', 10_000);
    first.proc.kill('SIGKILL');
    await first.exited;

    await new Promise<void>((r) => receiver.listen(port, '127.0.0.1', r));
    try {
      await start(extra);
      await until(async () => hits.some((h) => h.includes(id)), 20_000);
      expect(JSON.parse(hits.find((h) => h.includes(id))!)).toMatchObject({ request_id: id, status: 'FAILED', code: 'engine_error' });
    } finally {
      await new Promise<void>((r) => receiver.close(() => r()));
    }
  });
});

describe('first start', () => {
  it('creates an admin key, prints it once and stores only its hash', async () => {
    const first = await spawnServer({ REELAY_DATA_DIR: dataDir });
    children.push(first);
    await until(async () => first.output().includes('/v1/veo-2-image2video'), 10_000);
    const key = /\b(rl_[A-Za-z0-9_-]{40,})\b/.exec(first.output())?.[1];
    expect(key).toBeDefined();
    expect(first.output()).toContain('/v1/veo-2-image2video');
    const res = await fetch(`${first.url}/v1/models`, { headers: { 'x-api-key': key! } });
    expect(res.status).toBe(200);
    first.proc.kill('SIGTERM');
    await first.exited;
    const files = (await readdir(dataDir)).filter((f) => f.startsWith('reelay.db'));
    const db = Buffer.concat(await Promise.all(files.map((f) => readFile(join(dataDir, f)))));
    expect(db.includes(Buffer.from(key!))).toBe(false);
    expect(db.includes(Buffer.from(createHash('sha256').update(key!).digest('hex')))).toBe(true);

    const again = await spawnServer({ REELAY_DATA_DIR: dataDir });
    children.push(again);
    await until(async () => again.output().includes('listening on'), 10_000);
    expect(again.output()).not.toContain(key!);
    expect(again.output()).not.toMatch(/Admin API key/);
  });
});
