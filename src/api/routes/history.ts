import { Readable } from 'node:stream';
import { Hono, type Context } from 'hono';
import { accountHistory, historyInput } from '../../core/history.js';
import { findVisibleRequest } from '../../core/lookup.js';
import type { RequestRecord } from '../../core/types.js';
import { parseInput } from '../../core/validate.js';
import { notFound } from '../../errors.js';
import type { AppEnv } from '../env.js';
import { requireScope } from '../middleware/auth.js';
import { rateLimit } from '../middleware/rate-limit.js';
import { outputUrl } from '../segmind/request-views.js';

/** Reelay extensions for a person's history: the key's own requests, and each one's input image (to re-run it). */
export const historyRoutes = new Hono<AppEnv>();

const iso = (ms: number | null): string | null => (ms === null ? null : new Date(ms).toISOString());

async function historyItem(c: Context<AppEnv>, r: RequestRecord): Promise<Record<string, unknown>> {
  return {
    request_id: r.id,
    model: r.model,
    engine: r.engine,
    status: r.status,
    progress: r.progress,
    params: r.params,
    seed: r.params.seed,
    price: r.price,
    error: r.error,
    code: r.failureCode,
    output: r.status === 'COMPLETED' ? await outputUrl(c, r) : null,
    inference_time: r.inferenceSeconds,
    created_at: iso(r.createdAt),
    started_at: iso(r.startedAt),
    completed_at: iso(r.completedAt),
    expires_at: iso(r.expiresAt),
  };
}

/** `GET /v2/requests?limit=&cursor=`: this account's requests, newest first; `next` is the cursor of the next page. */
historyRoutes.get('/v2/requests', requireScope('read'), rateLimit('poll'), async (c) => {
  const input = parseInput(historyInput, c.req.query());
  const { items, next } = await accountHistory(c.get('services').store, c.get('auth').accountId, input);
  return c.json({ requests: await Promise.all(items.map((r) => historyItem(c, r))), next });
});

/** `GET /v2/requests/{id}/input`: the image the request was submitted with, until it expires. */
historyRoutes.get('/v2/requests/:id/input', requireScope('read'), rateLimit('poll'), async (c) => {
  const auth = c.get('auth');
  const request = await findVisibleRequest(c.get('services'), c.req.param('id'), { accountId: auth.accountId, isAdmin: auth.isAdmin });
  const { blobs } = c.get('services');
  const info = await blobs.stat(request.inputKey);
  if (!info) throw notFound();
  const stream = await blobs.read(request.inputKey);
  return c.body(Readable.toWeb(stream) as ReadableStream, 200, {
    'Content-Type': request.inputMime,
    'Content-Length': String(info.size),
    'Cache-Control': 'private, max-age=3600',
    'X-Request-Id': request.id,
  });
});
