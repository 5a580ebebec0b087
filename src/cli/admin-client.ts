import type { Config } from '../config.js';
import { silentLogger } from '../logger.js';
import { openServices } from '../open-services.js';
import type { Store } from '../store/store.js';
import { ReelayError } from '../errors.js';
import { errorBody } from '../api/segmind/error-response.js';

export type Json = Record<string, unknown>;

/** One admin operation, as an HTTP call and as a local call on the store; both answer the same JSON. */
export interface AdminOp {
  method: 'GET' | 'POST' | 'PATCH';
  path: string;
  query?: Record<string, string | undefined>;
  body?: Json;
  local(store: Store): Promise<Json>;
}

export interface AdminClient {
  run(op: AdminOp): Promise<Json>;
  close(): Promise<void>;
}

/** Works on the data dir (or database) directly: needs no running server. */
export async function localAdmin(config: Config): Promise<AdminClient> {
  const services = await openServices(config, silentLogger(), { listen: false });
  return {
    run: (op) => op.local(services.store),
    close: () => services.close(),
  };
}

/** Talks to a running server's admin API with an admin key. */
export function httpAdmin(server: string, key: string): AdminClient {
  return {
    async run(op) {
      const url = new URL(op.path, server);
      for (const [k, v] of Object.entries(op.query ?? {})) if (v !== undefined) url.searchParams.set(k, v);
      const res = await fetch(url, {
        method: op.method,
        headers: { 'x-api-key': key, ...(op.body ? { 'content-type': 'application/json' } : {}) },
        ...(op.body ? { body: JSON.stringify(op.body) } : {}),
      });
      const body = (await res.json().catch(() => ({ error: `HTTP ${res.status}`, code: 'internal' }))) as Json;
      if (!res.ok) throw new RemoteError(res.status, body);
      return body;
    },
    async close() {},
  };
}

/** An error answer of the server, printed like a local ReelayError. */
export class RemoteError extends Error {
  constructor(
    readonly status: number,
    readonly body: Json,
  ) {
    super(String(body.error ?? `HTTP ${status}`));
  }
}

/** The message and details of an admin failure, local or remote, for the terminal. */
export function describeAdminError(err: unknown): string | undefined {
  if (err instanceof ReelayError) return JSON.stringify(errorBody(err), null, 2);
  if (err instanceof RemoteError) return JSON.stringify(err.body, null, 2);
  return undefined;
}
