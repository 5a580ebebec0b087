import { Hono, type Context } from 'hono';
import { modelConfig } from '../../core/accept.js';
import { acceptCall } from '../accept-call.js';
import type { RequestRecord } from '../../core/types.js';
import { failedBody } from '../segmind/bodies.js';
import { waitForFinal } from '../../core/wait.js';
import { ReelayError } from '../../errors.js';
import { readSubmitBody } from '../body.js';
import type { AppEnv } from '../env.js';
import { requireScope } from '../middleware/auth.js';
import { rateLimit } from '../middleware/rate-limit.js';
import { submitResponseBody } from '../segmind/request-views.js';
import { streamOutput } from './files.js';

export const submitRoutes = new Hono<AppEnv>();

async function accept(c: Context<AppEnv>): Promise<RequestRecord> {
  const model = c.req.param('model') ?? '';
  // Check the model before reading a possibly large body, so a typo is a quick 404.
  modelConfig(c.get('services'), model);
  const body = await readSubmitBody(c);
  return acceptCall(c, { model, fields: body.fields, ...(body.upload ? { upload: body.upload } : {}) }, body);
}

/** docs/api.md §4: queue the request and answer at once with its URLs. */
submitRoutes.post('/v2/:model', requireScope('generate'), rateLimit('submit'), async (c) => {
  const request = await accept(c);
  c.header('X-Request-Id', request.id);
  return c.json(submitResponseBody(c, request), 200);
});

/** docs/api.md §3: queue the request and answer with the video itself, or 422 / 504. */
submitRoutes.post('/v1/:model', requireScope('generate'), rateLimit('submit'), async (c) => {
  const services = c.get('services');
  const request = await accept(c);
  c.header('X-Request-Id', request.id);
  // A client that hangs up stops the wait, not the work.
  const final = await waitForFinal(services, request.id, services.config.syncTimeout, c.req.raw.signal);
  if (final?.status === 'COMPLETED') {
    c.header('X-Seed', String(final.params.seed));
    if (final.seedHonoured === false) c.header('X-Seed-Honoured', 'false');
    c.header('X-Engine', final.engine);
    return streamOutput(c, final, undefined);
  }
  if (final?.status === 'FAILED') {
    c.header('X-Engine', final.engine);
    return c.json(failedBody(final), 422);
  }
  throw new ReelayError('timeout', 'Request timed out', { data: { requestId: request.id } });
});
