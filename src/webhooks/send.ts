import { guardedFetch, GuardedFetchError, type FetchPolicy } from '../net/index.js';
import { webhookHeaders } from './signature.js';

export interface SendWebhookOptions {
  url: string;
  secret: string;
  /** Same for every attempt of one message, so receivers can deduplicate. */
  msgId: string;
  /** The JSON text to POST; signed exactly as sent. */
  body: string;
  /** Operator allow-list for the SSRF guard (CIDRs, IPs, host names). */
  allowList: string[];
  /** Budget for the whole attempt: connect, send, status and body read. Default 10 s. */
  timeoutMs?: number;
  /** Wall clock (epoch ms) for the signed timestamp; injectable for tests. */
  now?: () => number;
}

/** One delivery attempt. `status` is null when no HTTP status was obtained. */
export interface SendOutcome {
  ok: boolean;
  status: number | null;
  /** A short sentence for the client and the logs when not ok; null when ok. */
  error: string | null;
  durationMs: number;
}

export const WEBHOOK_TIMEOUT_MS = 10_000;
// The receiver's answer is only ever ignored or logged; never hold more of it than this.
const MAX_RESPONSE_BYTES = 64 * 1024;
const NO_REDIRECTS = 'webhook deliveries do not follow redirects; point the webhook at the final URL';

/**
 * POSTs one signed delivery through the SSRF guard. Any 2xx is success; everything else
 * (other statuses, redirects, timeouts, refused or forbidden addresses) is a failed attempt
 * described in `error`, for the retry logic to act on. Only programming errors throw.
 */
export async function sendWebhook(opts: SendWebhookOptions): Promise<SendOutcome> {
  const now = opts.now ?? Date.now;
  // Signing first: a bad secret or id is our bug and must throw, not count as a failed attempt.
  const headers = webhookHeaders(opts.secret, opts.msgId, Math.floor(now() / 1000), opts.body);
  const policy: FetchPolicy = {
    timeoutMs: opts.timeoutMs ?? WEBHOOK_TIMEOUT_MS,
    // Following a redirect would re-send the signed payload somewhere the client never
    // configured (and a 302 would turn the POST into a bodiless GET anyway).
    maxRedirects: 0,
    allowList: opts.allowList,
    userAgent: 'Reelay (webhook)',
  };
  // Monotonic, so a wall-clock step during the attempt can't make the duration negative.
  const started = performance.now();
  const outcome = (ok: boolean, status: number | null, error: string | null): SendOutcome => ({
    ok,
    status,
    error,
    durationMs: Math.round(performance.now() - started),
  });
  try {
    const res = await guardedFetch(opts.url, { method: 'POST', headers, body: opts.body }, policy, MAX_RESPONSE_BYTES);
    if (res.status >= 200 && res.status < 300) return outcome(true, res.status, null);
    // guardedFetch hands back a 3xx it did not treat as a redirect (no Location, or 300/304).
    if (res.status >= 300 && res.status < 400) {
      return outcome(false, res.status, `the receiver redirected (HTTP ${res.status}); ${NO_REDIRECTS}`);
    }
    return outcome(false, res.status, `the receiver answered HTTP ${res.status}`);
  } catch (err) {
    if (!(err instanceof GuardedFetchError)) throw err;
    switch (err.reason) {
      case 'too_many_redirects':
        // With maxRedirects 0 this is a 301/302/303/307/308 with a Location; the error does
        // not carry which one, so the status is unknown here.
        return outcome(false, null, `the receiver redirected (HTTP 3xx); ${NO_REDIRECTS}`);
      case 'too_large':
        // Only a 2xx body is read strictly, so this is a success with a body over 64 KiB,
        // which we never wanted to read; the exact 2xx status is not reported by the guard.
        return outcome(true, null, null);
      default:
        return outcome(false, null, err.message);
    }
  }
}
