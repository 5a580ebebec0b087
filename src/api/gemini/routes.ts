import { Hono, type Context } from 'hono';
import { cancelRequest } from '../../core/cancel.js';
import { findVisibleRequest } from '../../core/lookup.js';
import type { RequestRecord } from '../../core/types.js';
import { isFinal } from '../../core/wait.js';
import { ReelayError } from '../../errors.js';
import { acceptCall } from '../accept-call.js';
import { baseUrl } from '../base-url.js';
import { readSubmitBody } from '../body.js';
import { expandId } from '../door-ids.js';
import type { AppEnv } from '../env.js';
import { errorResponse } from '../error-handler.js';
import { requireScope } from '../middleware/auth.js';
import { rateLimit } from '../middleware/rate-limit.js';
import { streamOutput } from '../routes/files.js';
import { presentedGoogleKey } from './auth.js';
import { googleError } from './error-response.js';
import { modelList, modelView } from './models.js';
import { geminiFileUrl, operationView } from './operation-view.js';
import { parsePredictBody } from './predict-body.js';

/**
 * The Gemini API's Veo calls over Reelay's core, mounted at `/gemini/v1beta`, so that
 * `new GoogleGenAI({ apiKey, httpOptions: { baseUrl: "<server>/gemini" } })` works unchanged. A
 * request made here is visible only here, as an operation name; it is the same record as any
 * other (credits, limits, retention, webhooks, admin views).
 */
export const geminiRoutes = new Hono<AppEnv>();
geminiRoutes.onError((err, c) => errorResponse(err, c, googleError));

const DOOR = 'gemini';
const auth = (scope: 'generate' | 'read') => requireScope(scope, presentedGoogleKey);

/** The request behind an operation (`model` given) or a file; `what` names it in the 404. */
function visible(c: Context<AppEnv>, hex: string, model: string | undefined, what: string): Promise<RequestRecord> {
  const id = expandId(hex);
  const missing = new ReelayError('not_found', `${what} not found.`);
  if (!id) throw missing;
  const { accountId } = c.get('auth');
  return findVisibleRequest(c.get('services'), id, { accountId, isAdmin: false, door: DOOR }).then((r) => {
    if (model !== undefined && r.doorModel !== model) throw missing;
    return r;
  });
}

const fileUrl = (c: Context<AppEnv>, r: RequestRecord): string => geminiFileUrl(baseUrl(c), r);

geminiRoutes.get('/models', auth('read'), rateLimit('poll'), (c) => c.json(modelList(c.get('services').config)));

/** `models/{model}:predictLongRunning` starts a generation; `models/{model}` describes a model. */
geminiRoutes.post('/models/:action', auth('generate'), rateLimit('submit'), async (c) => {
  const m = /^([^:]+):predictLongRunning$/.exec(c.req.param('action'));
  if (!m) throw new ReelayError('not_found', `Method not found: POST models/${c.req.param('action')}`);
  const body = await readSubmitBody(c);
  let submission;
  try {
    if (body.upload) throw new ReelayError('invalid_request', 'The body must be JSON: {instances, parameters}');
    submission = parsePredictBody(c.get('services').config, m[1]!, body.fields);
  } catch (err) {
    body.release();
    throw err;
  }
  const request = await acceptCall(c, submission, body);
  c.header('X-Request-Id', request.id);
  return c.json(operationView(request, fileUrl(c, request)));
});

geminiRoutes.get('/models/:model', auth('read'), rateLimit('poll'), (c) => {
  const view = modelView(c.get('services').config, c.req.param('model'));
  if (!view) throw new ReelayError('not_found', `models/${c.req.param('model')} is not found for API version v1beta.`);
  return c.json(view);
});

/** The operation poll (`ai.operations.getVideosOperation`). */
geminiRoutes.get('/models/:model/operations/:op', auth('read'), rateLimit('poll'), async (c) => {
  const request = await visible(c, c.req.param('op'), c.req.param('model'), `Operation models/${c.req.param('model')}/operations/${c.req.param('op')}`);
  c.header('X-Request-Id', request.id);
  return c.json(operationView(request, fileUrl(c, request)));
});

/** google.longrunning cancel and delete: an unfinished generation is canceled (and refunded). */
async function cancel(c: Context<AppEnv>, hex: string): Promise<Response> {
  const request = await visible(c, hex, c.req.param('model'), `Operation models/${c.req.param('model')}/operations/${hex}`);
  c.header('X-Request-Id', request.id);
  if (!isFinal(request)) {
    await cancelRequest(c.get('services'), request).catch((err: unknown) => {
      if (!(err instanceof ReelayError && err.code === 'conflict')) throw err;
    });
  }
  return c.json({});
}
geminiRoutes.delete('/models/:model/operations/:op', auth('generate'), rateLimit('submit'), (c) => cancel(c, c.req.param('op')));
geminiRoutes.post('/models/:model/operations/:action', auth('generate'), rateLimit('submit'), (c) => {
  const m = /^([0-9a-f]+):cancel$/.exec(c.req.param('action'));
  if (!m) throw new ReelayError('not_found', `Method not found: POST ${c.req.path}`);
  return cancel(c, m[1]!);
});

/**
 * The video (`ai.files.download`). The SDK takes the id after `files/` of an https URI and asks
 * `files/{id}:download`; with a plain-http server it appends the whole URI instead, so the id is
 * read from the last `files/{id}:download` of the path.
 */
geminiRoutes.get('/files/:file{.+}', auth('read'), rateLimit('poll'), async (c) => {
  const hex = /files\/([a-z0-9]+):download$/.exec(c.req.path)?.[1];
  if (!hex) throw new ReelayError('not_found', `File not found: ${c.req.path}`);
  const request = await visible(c, hex, undefined, `File files/${hex}`);
  if (request.status !== 'COMPLETED') throw new ReelayError('not_found', `File files/${hex} not found.`);
  c.header('X-Request-Id', request.id);
  return streamOutput(c, request, c.req.header('range'));
});

geminiRoutes.all('*', (c) => {
  throw new ReelayError('not_found', `Method not found: ${c.req.method} ${c.req.path} is not part of the Gemini API this server offers`);
});
