import type { RawRequest, RawResponse } from './http.js';

/** A defect found, with what it takes to send the same request again. */
export interface Finding {
  kind: string;
  cls: string;
  repro: string;
  answer: string;
}

function preview(data: Buffer | string | undefined, max = 160): string {
  if (data === undefined) return '';
  const text = Buffer.isBuffer(data) ? data.subarray(0, max).toString('latin1') : data.slice(0, max);
  const more = (Buffer.isBuffer(data) ? data.length : data.length) > max ? `… (${data.length} bytes)` : '';
  return JSON.stringify(text) + more;
}

export function describeRequest(req: RawRequest): string {
  const headers = (req.headers ?? []).map(([k, v]) => `${k}: ${v.slice(0, 80)}`).join(' | ');
  return `${req.method} ${req.path.slice(0, 200)}${req.path.length > 200 ? `…(${req.path.length})` : ''} [${headers}] body=${preview(req.body)}`;
}

/**
 * Is this a JSON error body in a shape a client can read: Reelay's (SPEC 6, string `error` and
 * `code`), or that of the front door that answered: OpenAI's under /openai/
 * (`{"error":{"message","type",...}}`), Google's under /gemini/ (`{"error":{"code","message","status"}}`)?
 */
export function isJsonError(res: RawResponse, path = ''): boolean {
  if (!/^application\/json/i.test(res.headers['content-type'] ?? '')) return false;
  try {
    const body = JSON.parse(res.body.toString('utf8')) as { error?: unknown; code?: unknown };
    // Reelay's own shape is right anywhere: a request Node's parser refuses never reaches a door.
    if (typeof body.error === 'string' && typeof body.code === 'string') return true;
    const inner = (typeof body.error === 'object' && body.error !== null ? body.error : {}) as Record<string, unknown>;
    // Anywhere in the target: path tricks (absolute-form URLs, `/%2e/`) still reach the door.
    if (path.includes('/openai/')) return typeof inner.message === 'string' && typeof inner.type === 'string';
    if (path.includes('/gemini/')) return typeof inner.code === 'number' && typeof inner.message === 'string' && typeof inner.status === 'string';
    return false;
  } catch {
    return false;
  }
}

/** Everything the run counts, and every defect with its repro. */
export class Tally {
  readonly tried = new Map<string, number>();
  readonly statuses = new Map<string, number>();
  readonly findings: Finding[] = [];
  ssrfHits = 0;
  lost = 0;
  duplicated = 0;
  leaks = 0;
  count(kind: string): number {
    return this.findings.filter((f) => f.kind === kind).length;
  }

  add(kind: string, cls: string, repro: string, answer = ''): void {
    this.findings.push({ kind, cls, repro, answer });
  }

  /** Records one exchange and checks the invariants every answer must keep. */
  check(cls: string, req: RawRequest, res: RawResponse | null): void {
    this.tried.set(cls, (this.tried.get(cls) ?? 0) + 1);
    const key = res ? String(res.status) : 'no answer';
    this.statuses.set(key, (this.statuses.get(key) ?? 0) + 1);
    if (!res) return this.add('no answer', cls, describeRequest(req));
    const answer = `${res.status} ${res.headers['content-type'] ?? ''} ${preview(res.body)}`;
    if (res.status >= 500) this.add('5xx', cls, describeRequest(req), answer);
    // HEAD answers have no body by definition; a body cut by our timeout is a stream (SSE), not an error.
    if (res.status >= 400 && req.method !== 'HEAD' && !res.streaming && !isJsonError(res, req.path))
      this.add('non-JSON error', cls, describeRequest(req), answer);
    if (!res.headers['x-request-id']) this.add('no X-Request-Id', cls, describeRequest(req), answer);
  }
}
