import type { Context } from 'hono';
import { deliveryView } from '../../core/admin-views.js';
import { etaSeconds } from '../../core/eta.js';
import type { RequestRecord } from '../../core/types.js';
import { baseUrl } from '../base-url.js';
import type { AppEnv } from '../env.js';
import { completedBody, failedBody, pendingBody, statusBody, submitBody, type LiveExtras } from './bodies.js';

async function liveExtras(c: Context<AppEnv>, r: RequestRecord): Promise<LiveExtras> {
  if (r.status !== 'QUEUED' && r.status !== 'PROCESSING') return {};
  const services = c.get('services');
  const queuePosition = r.status === 'QUEUED' ? await services.store.queuePosition(r) : undefined;
  const eta = await etaSeconds(services, r, queuePosition);
  return { ...(queuePosition === undefined ? {} : { queuePosition }), ...(eta === undefined ? {} : { etaSeconds: eta }) };
}

export async function statusBodyFor(c: Context<AppEnv>, r: RequestRecord): Promise<Record<string, unknown>> {
  return statusBody(r, await liveExtras(c, r));
}

/** `GET .../status`: 200 for every state but FAILED, which is 422 with the FAILED body (docs/api.md §5.1). */
export async function statusResponse(c: Context<AppEnv>, r: RequestRecord): Promise<Response> {
  c.header('X-Request-Id', r.id);
  return c.json(await statusBodyFor(c, r), r.status === 'FAILED' ? 422 : 200);
}

/** The body of GET /v2/requests/{id} for any state, with the webhook deliveries as an extension. */
export async function resultBody(c: Context<AppEnv>, r: RequestRecord): Promise<Record<string, unknown>> {
  const body =
    r.status === 'COMPLETED' ? completedBody(r, await outputUrl(c, r)) : r.status === 'FAILED' ? failedBody(r) : pendingBody(r, await liveExtras(c, r));
  if (r.webhookUrl) body.webhook = await webhookView(c, r);
  return body;
}

/** `GET /v2/requests/{id}` (and v1): 202 while unfinished, 200 COMPLETED, 422 FAILED (docs/api.md §5.2, §5.3). */
export async function resultResponse(c: Context<AppEnv>, r: RequestRecord): Promise<Response> {
  c.header('X-Request-Id', r.id);
  c.header('X-Engine', r.engine);
  return c.json(await resultBody(c, r), r.status === 'COMPLETED' ? 200 : r.status === 'FAILED' ? 422 : 202);
}

async function webhookView(c: Context<AppEnv>, r: RequestRecord): Promise<Record<string, unknown>> {
  const delivery = (await c.get('services').store.listDeliveries(r.id))[0];
  if (!delivery) return { url: r.webhookUrl, status: 'waiting' };
  return deliveryView(delivery);
}

/** The video's URL for this caller: the file route under this call's base, or a presigned URL. */
export function outputUrl(c: Context<AppEnv>, r: RequestRecord): Promise<string> {
  return c.get('services').outputUrl(r, baseUrl(c));
}

/** docs/api.md §4: the answer to an accepted submit, with URLs under this call's base. */
export function submitResponseBody(c: Context<AppEnv>, r: RequestRecord): Record<string, unknown> {
  return submitBody(r, baseUrl(c));
}
