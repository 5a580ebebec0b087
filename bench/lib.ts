import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { execFile } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { loadavg } from 'node:os';
import type { NewRequest } from '../src/store/store.js';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';

const execFileAsync = promisify(execFile);

/** The machine is shared: every figure is printed beside the 1/5/15-minute load average at the time. */
export function loadAverage(): string {
  return loadavg()
    .map((l) => l.toFixed(2))
    .join(' / ');
}

/** Figures are printed as ratios measured side by side in this run, never as bare claims. */
export function ratio(a: number, b: number): string {
  return `${(a / b).toFixed(2)}×`;
}

export function percentile(values: number[], p: number): number {
  const sorted = [...values].sort((x, y) => x - y);
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] ?? NaN;
}

export function table(rows: Array<Record<string, string | number>>): void {
  if (rows.length === 0) return;
  const keys = Object.keys(rows[0]!);
  const width = keys.map((k) => Math.max(k.length, ...rows.map((r) => String(r[k]).length)));
  const line = (cells: string[]) => `  ${cells.map((c, i) => c.padEnd(width[i]!)).join('  ')}`;
  console.log(line(keys));
  console.log(line(width.map((w) => '-'.repeat(w))));
  for (const r of rows) console.log(line(keys.map((k) => String(r[k]))));
}

/**
 * A closed-loop load generator in its own process (bench/load-client.ts): `concurrency`
 * keep-alive connections each send the next request as soon as the previous answer arrives, for
 * `seconds`. The same tool, in the same way, measures Reelay and the baseline.
 */
export async function load(opts: {
  url: string;
  method?: 'GET' | 'POST';
  body?: string;
  headers?: Record<string, string>;
  concurrency: number;
  seconds: number;
  total?: number;
}): Promise<{ count: number; rps: number; p50: number; p99: number; errors: number }> {
  const { concurrency, headers = {}, ...rest } = opts;
  const spec = JSON.stringify({ ...rest, headers, connections: concurrency });
  const client = fileURLToPath(new URL('./load-client.ts', import.meta.url));
  // The spec (a submit's body included) goes through stdin: a command line is limited in length.
  const child = execFileAsync(process.execPath, ['--import', 'tsx', client], { maxBuffer: 256 * 1024 * 1024 });
  child.child.stdin!.end(spec);
  const { stdout } = await child;
  const result = JSON.parse(stdout) as { count: number; elapsed: number; errors: number; latencies: number[] };
  return {
    count: result.count,
    rps: result.count / result.elapsed,
    p50: percentile(result.latencies, 50),
    p99: percentile(result.latencies, 99),
    errors: result.errors,
  };
}

/** The baseline for HTTP throughput: a bare node:http server answering a small JSON body. */
export async function bareServer(body: string): Promise<{ url: string; close(): Promise<void> }> {
  const server: Server = createServer((_req, res) => {
    res.writeHead(200, { 'content-type': 'application/json' }).end(body);
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    close: () => new Promise((r) => server.close(() => r())),
  };
}

/** A paid 5 s submit of `accountId` as the store receives it, for benches of the store alone. */
export function benchRequest(accountId: string, model = 'veo-2-image2video'): NewRequest {
  return {
    id: randomUUID(),
    accountId,
    model,
    engine: 'veo',
    params: { duration: 5 } as NewRequest['params'],
    fault: null,
    inputKey: 'inputs/none',
    inputMime: 'image/png',
    createdAt: Date.now(),
    price: 1,
    baseUrl: 'http://127.0.0.1',
    webhookUrl: null,
    idempotencyKey: null,
    requestHash: null,
    door: null,
    doorModel: null,
  };
}
