/**
 * The load generator, run as its own process (like wrk) so that it never shares an event loop
 * with the server it measures. Closed loop: each of `connections` keep-alive connections sends
 * the next request as soon as the previous answer is read. Prints one JSON line of results; an
 * answer of 400 or above counts as an error, not as a request served.
 */
import { Pool } from 'undici';

interface LoadSpec {
  url: string;
  /** GET without a body unless given; every call sends the same body. */
  method?: 'GET' | 'POST';
  body?: string;
  headers: Record<string, string>;
  connections: number;
  seconds: number;
  /** Stop after sending this many requests in all (or at `seconds`, whichever comes first). */
  total?: number;
}

const chunks: Buffer[] = [];
for await (const chunk of process.stdin) chunks.push(chunk as Buffer);
const spec = JSON.parse(Buffer.concat(chunks).toString('utf8')) as LoadSpec;
const target = new URL(spec.url);
const pool = new Pool(target.origin, { connections: spec.connections, pipelining: 1 });
const latencies: number[] = [];
let errors = 0;
const end = performance.now() + spec.seconds * 1000;

let sent = 0;

async function connection(): Promise<void> {
  while (performance.now() < end && sent++ < (spec.total ?? Infinity)) {
    const t0 = performance.now();
    try {
      const res = await pool.request({ path: target.pathname + target.search, method: spec.method ?? 'GET', headers: spec.headers, body: spec.body ?? null });
      await res.body.arrayBuffer();
      if (res.statusCode >= 400) errors++;
      else latencies.push(performance.now() - t0);
    } catch {
      errors++;
    }
  }
}

const started = performance.now();
await Promise.all(Array.from({ length: spec.connections }, connection));
const elapsed = (performance.now() - started) / 1000;
await pool.close();
process.stdout.write(`${JSON.stringify({ count: latencies.length, elapsed, errors, latencies })}\n`);
