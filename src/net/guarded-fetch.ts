import type { IncomingHttpHeaders } from 'node:http';
import { request, type Dispatcher } from 'undici';
import type { FetchPolicy } from './fetch-policy.js';
import { formatMegabytes } from './format.js';
import { GuardedFetchError } from './guard-error.js';
import { createGuardedDispatcher } from './guarded-dispatcher.js';
import { toGuardError } from './network-errors.js';
import { checkTargetUrl, shortUrl } from './url-check.js';

export interface GuardedRequestInit {
  method?: string;
  headers?: Record<string, string>;
  body?: string | Uint8Array;
  /** Cancels the fetch early; the policy's total timeout applies regardless. */
  signal?: AbortSignal;
}

export interface GuardedResponse {
  status: number;
  headers: IncomingHttpHeaders;
  /** The URL that answered, after redirects. */
  url: string;
  redirects: number;
  /** The whole body for a 2xx answer; at most 64 KiB of it otherwise. */
  body: Buffer;
}

const REDIRECTS = new Set([301, 302, 303, 307, 308]);
// Error bodies are only kept for logs; never let a hostile server make us hold more.
const ERROR_BODY_BYTES = 64 * 1024;
// Credentials are meant for the origin they were sent to, as in the fetch standard.
const ORIGIN_BOUND_HEADERS = ['authorization', 'cookie', 'proxy-authorization'];

interface Hop {
  url: URL;
  method: string;
  headers: Record<string, string>;
  body: string | Uint8Array | undefined;
}

/**
 * Fetches a client-supplied URL without letting it reach internal services: only http(s),
 * every hop's address checked (literal IPs up front, host names after DNS at connect time
 * via the guarded dispatcher), redirects followed by hand and re-checked, at most
 * `policy.maxRedirects` of them, and one `policy.timeoutMs` budget for everything including
 * the body. A 2xx body larger than `maxBytes` is cut off mid-stream. Throws only
 * GuardedFetchError; non-2xx statuses are returned, not thrown.
 */
export async function guardedFetch(url: string, init: GuardedRequestInit, policy: FetchPolicy, maxBytes: number): Promise<GuardedResponse> {
  const deadline = AbortSignal.timeout(policy.timeoutMs);
  const signal = init.signal ? AbortSignal.any([init.signal, deadline]) : deadline;
  const dispatcher = createGuardedDispatcher(policy);
  let hop: Hop = {
    url: checkTargetUrl(url, policy.allowList),
    method: (init.method ?? 'GET').toUpperCase(),
    headers: { 'user-agent': policy.userAgent ?? 'Reelay', ...lowerCaseKeys(init.headers ?? {}) },
    body: init.body,
  };
  const failure = (err: unknown): GuardedFetchError => toGuardError(err, { url: hop.url, timeoutMs: policy.timeoutMs, deadline, caller: init.signal });
  try {
    for (let redirects = 0; ; redirects++) {
      let response: Dispatcher.ResponseData;
      try {
        const { method, headers, body } = hop;
        response = await request(hop.url, { method, headers, body: body ?? null, signal, dispatcher });
      } catch (err) {
        throw withHopContext(failure(err), redirects, hop.url);
      }
      const { statusCode, headers } = response;
      const location = headers.location;
      if (REDIRECTS.has(statusCode) && typeof location === 'string') {
        discard(response);
        if (redirects >= policy.maxRedirects) {
          const limit = policy.maxRedirects;
          throw new GuardedFetchError('too_many_redirects', `more than ${limit} redirects; at most ${limit} are followed`);
        }
        hop = nextHop(hop, statusCode, location, policy.allowList);
        continue;
      }
      const ok = statusCode >= 200 && statusCode < 300;
      const body = await readBody(response, ok ? maxBytes : ERROR_BODY_BYTES, ok).catch((err: unknown) => {
        throw failure(err);
      });
      return { status: statusCode, headers, url: hop.url.href, redirects, body };
    }
  } finally {
    // destroy, not close: a hung server must not keep the fetch (or a test) alive.
    await dispatcher.destroy().catch(() => undefined);
  }
}

function lowerCaseKeys(headers: Record<string, string>): Record<string, string> {
  return Object.fromEntries(Object.entries(headers).map(([k, v]) => [k.toLowerCase(), v]));
}

function withHopContext(err: GuardedFetchError, redirects: number, url: URL): GuardedFetchError {
  if (redirects === 0) return err;
  return new GuardedFetchError(err.reason, `after a redirect to ${shortUrl(url.href)}: ${err.message}`, { cause: err.cause });
}

function nextHop(hop: Hop, status: number, location: string, allowList: readonly string[]): Hop {
  let target: string;
  try {
    target = new URL(location, hop.url).href;
  } catch (err) {
    throw new GuardedFetchError('bad_url', `redirect to an invalid URL "${shortUrl(location)}"`, { cause: err });
  }
  let url: URL;
  try {
    url = checkTargetUrl(target, allowList);
  } catch (err) {
    if (!(err instanceof GuardedFetchError)) throw err;
    throw new GuardedFetchError(err.reason, `redirect to ${shortUrl(target)} refused: ${err.message}`, { cause: err.cause });
  }
  const headers = { ...hop.headers };
  if (url.origin !== hop.url.origin) for (const name of ORIGIN_BOUND_HEADERS) delete headers[name];
  // 303 always, and 301/302 after a POST, turn into a bodiless GET (as browsers and fetch do).
  const becomesGet = (status === 303 && hop.method !== 'HEAD') || ((status === 301 || status === 302) && hop.method === 'POST');
  if (!becomesGet) return { url, method: hop.method, headers, body: hop.body };
  for (const name of ['content-type', 'content-length', 'content-encoding']) delete headers[name];
  return { url, method: 'GET', headers, body: undefined };
}

async function readBody(response: Dispatcher.ResponseData, limit: number, strict: boolean): Promise<Buffer> {
  const declared = Number(response.headers['content-length']);
  if (strict && Number.isFinite(declared) && declared > limit) {
    discard(response);
    throw tooLarge(declared, limit, true);
  }
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of response.body) {
    const piece = chunk as Buffer;
    if (size + piece.length > limit) {
      discard(response);
      if (strict) throw tooLarge(size + piece.length, limit, false);
      chunks.push(piece.subarray(0, limit - size));
      break;
    }
    chunks.push(piece);
    size += piece.length;
  }
  return Buffer.concat(chunks);
}

/** Drops a body we will not read; undici reports the abort as an 'error' that would otherwise be uncaught. */
function discard(response: Dispatcher.ResponseData): void {
  response.body.on('error', () => undefined);
  response.body.destroy();
}

function tooLarge(bytes: number, limit: number, exact: boolean): GuardedFetchError {
  const size = exact ? `${formatMegabytes(bytes)}` : `more than ${formatMegabytes(limit)}`;
  return new GuardedFetchError('too_large', `the response is ${size}; the limit is ${formatMegabytes(limit)}`);
}
