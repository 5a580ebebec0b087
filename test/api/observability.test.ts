import { readFile } from 'node:fs/promises';
import { resolve } from 'node:path';
import { Writable } from 'node:stream';
import { pino } from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startReceiver, type Receiver } from '../helpers/receiver.js';
import { samplePng } from '../helpers/png.js';
import { startTestServer, submit, waitFinished, type TestServer } from '../helpers/server.js';

const ROOT = resolve(import.meta.dirname, '../..');

let server: TestServer;
let receiver: Receiver;
const lines: Array<Record<string, unknown>> = [];
let raw = '';
let id: string;
let image: string;

/** Waits for a condition the server reaches by itself (a webhook sent), checking as events arrive. */
async function until(check: () => boolean, what: string): Promise<void> {
  for (let i = 0; i < 600 && !check(); i++) await new Promise((r) => setTimeout(r, 50));
  if (!check()) throw new Error(`never happened: ${what}`);
}

beforeAll(async () => {
  const sink = new Writable({
    write(chunk: Buffer, _enc, done) {
      raw += chunk.toString();
      for (const line of chunk.toString().split('\n').filter(Boolean)) lines.push(JSON.parse(line) as Record<string, unknown>);
      done();
    },
  });
  receiver = await startReceiver({ '/hook': (_req, res) => res.writeHead(204).end() });
  server = await startTestServer(
    // One submit per window, and a window longer than the test, so the second submit is surely refused.
    { limits: { submitPerMinute: 1, window: 8_640_000_000 }, webhooks: { allowList: ['127.0.0.1/32:*'], pollInterval: 100 } },
    'sqlite',
    pino({ level: 'info' }, sink),
  );
  image = `data:image/png;base64,${(await samplePng()).toString('base64')}`;
  const res = await submit(server, '/v2/veo-2-image2video', { image, duration: 5, webhook: `${receiver.origin}/hook` });
  id = ((await res.json()) as { request_id: string }).request_id;
  await waitFinished(server, id);
  await until(() => receiver.requests.length === 1, 'webhook delivered');
  // Over the per-key submit limit: a 429 for the rejection counter.
  expect((await submit(server, '/v2/veo-2-image2video', { image, duration: 5 })).status).toBe(429);
});
afterAll(async () => {
  await server?.stop();
  await receiver?.close();
});

async function scrape(): Promise<string> {
  const res = await server.call('/metrics');
  expect(res.status).toBe(200);
  return res.text();
}

/** The value of one sample line, e.g. `reelay_credits_charged_total 50`. */
function sample(text: string, name: string, labels = ''): number {
  const line = text.split('\n').find((l) => (labels ? l.startsWith(`${name}{`) && l.includes(labels) : l.startsWith(`${name} `)));
  if (!line)
    throw new Error(
      `no sample ${name}{${labels}} among:\n${text
        .split('\n')
        .filter((l) => l.startsWith(name.replace(/_(count|sum|bucket)$/, '')))
        .join('\n')}`,
    );
  return Number(line.slice(line.lastIndexOf(' ') + 1));
}

describe('/metrics', () => {
  it('counts HTTP, credits, webhooks, engine attempts, queue wait and rate-limit rejections', async () => {
    // Let the webhook attempt's bookkeeping land (it is counted after the receiver answered).
    let text = await scrape();
    for (let i = 0; i < 100 && !/^reelay_webhook_deliveries_total\{outcome="delivered"\} 1$/m.test(text); i++) text = await scrape();
    expect(sample(text, 'reelay_http_request_duration_seconds_count', 'method="POST",route="/v2/:model",status="200"')).toBe(1);
    expect(sample(text, 'reelay_http_request_duration_seconds_count', 'method="POST",route="/v2/:model",status="429"')).toBe(1);
    expect(sample(text, 'reelay_http_request_duration_seconds_count', 'route="/v2/requests/:id/status"')).toBeGreaterThanOrEqual(1);
    expect(text).not.toContain(id); // ids never become label values
    expect(sample(text, 'reelay_http_requests_in_flight')).toBe(1); // this scrape
    expect(sample(text, 'reelay_rate_limit_rejections_total', 'class="submit"')).toBe(1);
    expect(sample(text, 'reelay_credits_charged_total')).toBe(50);
    expect(sample(text, 'reelay_credits_refunded_total')).toBe(0);
    expect(sample(text, 'reelay_webhook_deliveries_total', 'outcome="delivered"')).toBe(1);
    expect(sample(text, 'reelay_webhook_backlog')).toBe(0);
    expect(sample(text, 'reelay_engine_attempts_total', 'engine="motion",outcome="completed"')).toBe(1);
    expect(sample(text, 'reelay_queue_wait_seconds_count', 'model="veo-2-image2video",engine="motion"')).toBe(1);
    expect(sample(text, 'reelay_render_seconds_count', 'model="veo-2-image2video",engine="motion"')).toBe(1);
    expect(sample(text, 'reelay_queue_depth')).toBe(0);
    expect(sample(text, 'reelay_requests_finished_total', 'status="COMPLETED"')).toBe(1);
  });

  it('follows Prometheus naming: counters end in _total, histograms in a unit, gauges not in _total, all under reelay_', async () => {
    const families = [...(await scrape()).matchAll(/^# TYPE (\S+) (\S+)$/gm)].map((m) => ({ name: m[1]!, type: m[2]! }));
    expect(families.length).toBeGreaterThan(10);
    for (const { name, type } of families) {
      expect(name).toMatch(/^reelay_[a-z0-9_]+$/);
      if (name.startsWith('reelay_process_')) continue; // prom-client's standard process metrics, named as everywhere
      if (type === 'counter') expect(name).toMatch(/_total$/);
      if (type === 'histogram') expect(name).toMatch(/_(seconds|bytes)$/);
      if (type === 'gauge') expect(name).not.toMatch(/_total$/);
    }
  });

  it('a refund is counted: a failed request gives its credits back', async () => {
    // A canceled request is refunded; the ledger-backed counter shows it on the next scrape.
    const other = await startTestServer({ worker: { enabled: false } }, 'sqlite');
    try {
      const res = await submit(other, '/v2/veo-2-image2video', { image, duration: 8 });
      const queued = ((await res.json()) as { request_id: string }).request_id;
      expect((await other.call(`/v2/requests/${queued}/cancel`, { method: 'POST' })).status).toBe(200);
      const text = await (await other.call('/metrics')).text();
      expect(sample(text, 'reelay_credits_charged_total')).toBe(80);
      expect(sample(text, 'reelay_credits_refunded_total')).toBe(80);
      expect(text).not.toContain('reelay_queue_wait_seconds_count{'); // never claimed
    } finally {
      await other.stop();
    }
  });
});

describe('access log', () => {
  it('one line per call with request id, account, route, status, duration and bytes; never a key or the image', async () => {
    const access = lines.filter((l) => l.msg === 'request');
    const submitLine = access.find((l) => l.route === '/v2/:model' && l.status === 200);
    expect(submitLine).toMatchObject({ requestId: id, accountId: 'admin', method: 'POST', status: 200, bytes: expect.any(Number) });
    expect(submitLine!.durationMs).toBeGreaterThan(0);
    expect(access.find((l) => l.status === 429)).toMatchObject({ route: '/v2/:model', accountId: 'admin' });
    // The worker's lines for the same request carry the same id.
    expect(lines.some((l) => l.requestId === id && l.msg === 'request completed')).toBe(true);
    expect(raw).not.toContain(server.key);
    expect(raw).not.toContain(image.slice(30, 90));
  });
});

describe('Grafana dashboard', () => {
  it('every query names only metrics the server really exports', async () => {
    const dashboard = JSON.parse(await readFile(resolve(ROOT, 'ops/grafana/reelay-dashboard.json'), 'utf8')) as {
      panels: Array<{ title: string; targets: Array<{ expr: string }> }>;
    };
    const text = await scrape();
    const exported = new Set([...text.matchAll(/^([a-z_][a-z0-9_]*)(?:\{| )/gm)].map((m) => m[1]!));
    const exprs = dashboard.panels.flatMap((p) => p.targets.map((t) => t.expr));
    expect(exprs.length).toBeGreaterThanOrEqual(12);
    for (const expr of exprs) {
      const names = [...expr.matchAll(/\breelay_[a-z0-9_]+/g)].map((m) => m[0]);
      expect(names.length, expr).toBeGreaterThan(0);
      for (const name of names) expect(exported.has(name), `${name} in ${expr}`).toBe(true);
    }
  });
});
