import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseConfig } from '../../src/config.js';
import { silentLogger, type Logger } from '../../src/logger.js';
import { startServer, type RunningServer } from '../../src/server.js';
import { answersChecked, watchAnswers } from './openapi-check.js';
import { dropSchema, PG_URL, uniqueSchema } from './postgres.js';
import { startS3rver, type RunningS3rver } from './s3rver.js';

/** The deployments every API test runs against: the embedded default, and the scale-out stores. */
export type Backend = 'sqlite' | 'postgres';
export const BACKENDS: Backend[] = ['sqlite', 'postgres'];

/** Set per vitest project (vitest.config.ts), so one test file runs once per backend. */
function defaultBackend(): Backend {
  return process.env.REELAY_TEST_BACKEND === 'postgres' ? 'postgres' : 'sqlite';
}

export const ADMIN_KEY = 'rl_test_admin_key_0123456789abcdef';

export interface TestServer extends RunningServer {
  key: string;
  dataDir: string;
  /** fetch against the server with the admin key (unless headers say otherwise). */
  call(path: string, init?: RequestInit & { key?: string | null }): Promise<Response>;
  stop(): Promise<void>;
}

/** The real server on an ephemeral loopback port, with its own data dir, images allowed from loopback. */
export async function startTestServer(
  overrides: Record<string, unknown> = {},
  backend: Backend = defaultBackend(),
  log: Logger = silentLogger(),
): Promise<TestServer> {
  const dataDir = await mkdtemp(join(tmpdir(), 'reelay-test-'));
  // The scale-out deployment: PostgreSQL for state, an S3-compatible bucket (s3rver on loopback) for bytes.
  const schema = backend === 'postgres' ? uniqueSchema() : undefined;
  const s3: RunningS3rver | undefined = backend === 'postgres' ? await startS3rver() : undefined;
  const config = parseConfig({
    ...(schema ? { databaseUrl: PG_URL, databaseSchema: schema } : {}),
    ...(s3
      ? {
          s3: {
            endpoint: s3.endpoint,
            bucket: s3.bucket,
            region: s3.region,
            accessKeyId: s3.accessKeyId,
            secretAccessKey: s3.secretAccessKey,
            forcePathStyle: true,
          },
        }
      : {}),
    host: '127.0.0.1',
    port: 0,
    dataDir,
    bootstrapKey: ADMIN_KEY,
    logLevel: 'silent',
    sweepInterval: 200,
    image: { allowList: ['127.0.0.1/32:*'] },
    ...overrides,
    worker: { concurrency: 1, pollInterval: 200, shutdownGrace: 2000, ...(overrides.worker as object | undefined) },
  });
  const server = await startServer(config, log);
  // Every answer a test receives from this server is checked against the OpenAPI document.
  watchAnswers(server.url);
  const call = (path: string, init: RequestInit & { key?: string | null } = {}): Promise<Response> => {
    const headers = new Headers(init.headers);
    const key = init.key === undefined ? ADMIN_KEY : init.key;
    if (key !== null && !headers.has('x-api-key')) headers.set('x-api-key', key);
    return fetch(`${server.url}${path}`, { ...init, headers });
  };
  return {
    ...server,
    key: ADMIN_KEY,
    dataDir,
    call,
    async stop() {
      const mismatches = await answersChecked(server.url);
      await server.close();
      await rm(dataDir, { recursive: true, force: true });
      if (schema) await dropSchema(schema);
      await s3?.stop();
      if (mismatches) throw new Error(mismatches);
    },
  };
}

/** POSTs JSON to a submit route. */
export function submit(server: TestServer, path: string, body: unknown, headers: Record<string, string> = {}): Promise<Response> {
  return server.call(path, { method: 'POST', body: JSON.stringify(body), headers: { 'content-type': 'application/json', ...headers } });
}

/** Polls a status URL until the request is finished; returns the last status body. */
export async function waitFinished(server: TestServer, id: string, timeoutMs = 60_000): Promise<{ status: string } & Record<string, unknown>> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const res = await server.call(`/v2/requests/${id}/status`);
    const body = (await res.json()) as { status: string } & Record<string, unknown>;
    if (body.status === 'COMPLETED' || body.status === 'FAILED') return body;
    if (Date.now() > deadline) throw new Error(`request ${id} still ${body.status} after ${timeoutMs} ms`);
    await new Promise((r) => setTimeout(r, 100));
  }
}
