import type { ServerResponse } from 'node:http';
import type { Context, MiddlewareHandler } from 'hono';
import { routePath } from 'hono/route';
import type { AppEnv } from '../env.js';

/**
 * The route pattern that answered (`/v2/requests/:id/status`), never the raw path: ids in metric
 * labels would grow without bound. Calls no route matched share one label.
 */
function routeOf(c: Context<AppEnv>): string {
  const path = routePath(c);
  return path && path !== '*' && path !== '/*' ? path : 'unmatched';
}

/** What the Node adapter (@hono/node-server) puts in `c.env`: the raw response, to see when it ends. */
interface NodeBindings {
  outgoing?: ServerResponse;
}

/**
 * Per call: the HTTP metrics (duration histogram by route and status, in-flight gauge, response
 * bytes) and one structured access-log line. The line names the request id (the generation
 * request's id where the route set it, else the call's), the account, route, status, duration
 * and response bytes; never a key, a header value or a body, so no secret or image ends up in logs.
 * Worker and engine log lines carry the same `requestId`. Under Node the call ends when the last
 * byte is written (a video download or an event stream counts in full); elsewhere, when the
 * handler returns.
 */
export const accessLog: MiddlewareHandler<AppEnv> = async (c, next) => {
  const { metrics, log } = c.get('services');
  const started = process.hrtime.bigint();
  metrics.httpInFlight.inc();
  let status = 500;
  const finish = (bytes: number | null): void => {
    metrics.httpInFlight.dec();
    const seconds = Number(process.hrtime.bigint() - started) / 1e9;
    const route = routeOf(c);
    metrics.httpSeconds.observe({ method: c.req.method, route, status: String(status) }, seconds);
    if (bytes !== null) metrics.httpResponseBytes.inc({ route }, bytes);
    log.info(
      {
        requestId: c.res.headers.get('X-Request-Id') ?? c.get('callId'),
        callId: c.get('callId'),
        accountId: c.get('auth')?.accountId ?? null,
        method: c.req.method,
        route,
        status,
        durationMs: Math.round(seconds * 1e4) / 10,
        bytes,
      },
      'request',
    );
  };
  const outgoing = (c.env as NodeBindings | undefined)?.outgoing;
  const sent = outgoing ? countBodyBytes(outgoing) : undefined;
  try {
    await next();
    status = c.res.status;
  } finally {
    if (outgoing && sent && !outgoing.writableFinished) {
      // 'close' also fires when the client goes away mid-stream; the bytes are then what was sent.
      outgoing.once('close', () => finish(sent()));
    } else {
      const length = c.res.headers.get('content-length');
      finish(sent ? sent() : length === null ? null : Number(length));
    }
  }
};

/**
 * Counts the body bytes the adapter writes to `res` (it declares no Content-Length header for
 * buffered bodies, and streams have none), by wrapping write/end of this one response.
 */
function countBodyBytes(res: ServerResponse): () => number {
  let bytes = 0;
  const add = (chunk: unknown, encoding: unknown): void => {
    if (typeof chunk === 'string') bytes += Buffer.byteLength(chunk, typeof encoding === 'string' ? (encoding as BufferEncoding) : 'utf8');
    else if (chunk instanceof Uint8Array) bytes += chunk.byteLength;
  };
  const { write, end } = res;
  res.write = function (this: ServerResponse, ...args: unknown[]) {
    add(args[0], args[1]);
    return (write as (...a: unknown[]) => boolean).apply(this, args);
  } as ServerResponse['write'];
  res.end = function (this: ServerResponse, ...args: unknown[]) {
    if (typeof args[0] !== 'function') add(args[0], args[1]);
    return (end as (...a: unknown[]) => ServerResponse).apply(this, args);
  } as ServerResponse['end'];
  return () => bytes;
}
