import { Readable } from 'node:stream';
import { Hono, type Context } from 'hono';
import { cancelRequest } from '../../core/cancel.js';
import { discardRequest } from '../../core/discard.js';
import { findVisibleRequest } from '../../core/lookup.js';
import type { RequestRecord } from '../../core/types.js';
import { isFinal } from '../../core/wait.js';
import { ffmpegPath } from '../../media/binaries.js';
import { firstFrameJpeg } from '../../media/thumbnail.js';
import { InvalidCursorError } from '../../store/sql/db.js';
import { ReelayError, invalidRequest, notFound } from '../../errors.js';
import { acceptCall } from '../accept-call.js';
import { readSubmitBody } from '../body.js';
import type { AppEnv } from '../env.js';
import { errorResponse } from '../error-handler.js';
import { requireScope } from '../middleware/auth.js';
import { rateLimit } from '../middleware/rate-limit.js';
import { streamOutput } from '../routes/files.js';
import { parseCreateBody } from './create-body.js';
import { openAiError } from './error-response.js';
import { requestIdOf, videoId, videoView } from './video-view.js';

/**
 * OpenAI's Videos API over Reelay's core, mounted at `/openai/v1` so that
 * `new OpenAI({ baseURL: "<server>/openai/v1", apiKey })` works unchanged. A request made here is
 * visible only here, as `video_<hex>`; it is the same record as any other (credits, limits,
 * retention, webhooks, admin views).
 */
export const openAiRoutes = new Hono<AppEnv>();
openAiRoutes.onError((err, c) => errorResponse(err, c, openAiError));

const DOOR = 'openai';
const MAX_LIST = 100;

function visible(c: Context<AppEnv>): Promise<RequestRecord> {
  const id = requestIdOf(c.req.param('id') ?? '');
  if (!id) throw new ReelayError('not_found', `No video found with id '${c.req.param('id')}'`);
  const auth = c.get('auth');
  return findVisibleRequest(c.get('services'), id, { accountId: auth.accountId, isAdmin: false, door: DOOR });
}

openAiRoutes.post('/videos', requireScope('generate'), rateLimit('submit'), async (c) => {
  const services = c.get('services');
  const body = await readSubmitBody(c, 'input_reference');
  let submission;
  try {
    submission = parseCreateBody(services.config, body);
  } catch (err) {
    body.release();
    throw err;
  }
  const request = await acceptCall(c, submission, body);
  c.header('X-Request-Id', request.id);
  return c.json(videoView(request), 200);
});

openAiRoutes.get('/videos', requireScope('read'), rateLimit('poll'), async (c) => {
  const limit = listLimit(c.req.query('limit'));
  const order = c.req.query('order') ?? 'desc';
  if (order !== 'asc' && order !== 'desc') throw invalidRequest([{ field: 'order', message: 'must be "asc" or "desc"' }]);
  const after = c.req.query('after');
  const afterId = after === undefined || after === '' ? undefined : requestIdOf(after);
  if (after && !afterId) throw invalidRequest([{ field: 'after', message: 'must be the id of a video from an earlier page' }]);
  let page;
  try {
    page = await c.get('services').store.listRequests(c.get('auth').accountId, { limit, order, door: DOOR, ...(afterId ? { afterId } : {}) });
  } catch (err) {
    if (err instanceof InvalidCursorError) throw invalidRequest([{ field: 'after', message: `no video ${after} exists (it may have expired)` }]);
    throw err;
  }
  // Expired rows wait for the sweeper but are gone for clients.
  const data = page.items.filter((r) => r.expiresAt === null || r.expiresAt > Date.now()).map(videoView);
  return c.json({ object: 'list', data, first_id: data[0]?.id ?? null, last_id: data.at(-1)?.id ?? null, has_more: page.next !== null });
});

openAiRoutes.get('/videos/:id', requireScope('read'), rateLimit('poll'), async (c) => {
  const request = await visible(c);
  c.header('X-Request-Id', request.id);
  return c.json(videoView(request));
});

/** Deletes a video; an unfinished one is canceled first (and refunded), then removed. */
openAiRoutes.delete('/videos/:id', requireScope('generate'), rateLimit('submit'), async (c) => {
  const services = c.get('services');
  const request = await visible(c);
  if (!isFinal(request)) {
    await cancelRequest(services, request).catch((err: unknown) => {
      // It finished meanwhile: delete it all the same.
      if (!(err instanceof ReelayError && err.code === 'conflict')) throw err;
    });
  }
  await discardRequest(services, (await services.store.getRequest(request.id)) ?? request);
  c.header('X-Request-Id', request.id);
  return c.json({ id: videoId(request), object: 'video.deleted', deleted: true });
});

/** `variant=video` (default): the MP4, with Range support; `thumbnail`: the first frame as a JPEG. */
openAiRoutes.get('/videos/:id/content', requireScope('read'), rateLimit('poll'), async (c) => {
  const variant = c.req.query('variant') ?? 'video';
  if (variant !== 'video' && variant !== 'thumbnail' && variant !== 'spritesheet') {
    throw invalidRequest([{ field: 'variant', message: 'must be "video", "thumbnail" or "spritesheet"' }]);
  }
  const request = await visible(c);
  c.header('X-Request-Id', request.id);
  if (request.status !== 'COMPLETED') {
    throw invalidRequest([
      { field: 'video_id', message: `video ${videoId(request)} is ${videoView(request).status}; its content exists once it is completed` },
    ]);
  }
  if (variant === 'spritesheet')
    throw invalidRequest([{ field: 'variant', message: 'spritesheet is not available on this server; use "video" or "thumbnail"' }]);
  if (variant === 'video') return streamOutput(c, request, c.req.header('range'));
  const services = c.get('services');
  if (!request.outputKey) throw notFound();
  const jpeg = await firstFrameJpeg(ffmpegPath(services.config.ffmpegPath), (await services.blobs.read(request.outputKey)) as Readable);
  return c.body(new Uint8Array(jpeg), 200, { 'Content-Type': 'image/jpeg', 'Content-Length': String(jpeg.length), 'Cache-Control': 'private, max-age=3600' });
});

openAiRoutes.all('*', (c) => {
  throw new ReelayError('not_found', `Not found: ${c.req.method} ${c.req.path} is not part of the Videos API this server offers`);
});

function listLimit(raw: string | undefined): number {
  if (raw === undefined) return 20;
  const n = Number(raw);
  if (!Number.isInteger(n) || n < 1 || n > MAX_LIST) throw invalidRequest([{ field: 'limit', message: `must be an integer from 1 to ${MAX_LIST}` }]);
  return n;
}
