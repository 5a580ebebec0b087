import type { Context } from 'hono';
import { outputPath } from '../core/file-urls.js';
import type { RequestRecord } from '../core/types.js';
import { completedBody, failedBody, pendingBody, statusBody, type LiveExtras } from '../core/views.js';
import { baseUrl } from './base-url.js';
import type { AppEnv } from './env.js';

async function liveExtras(c: Context<AppEnv>, r: RequestRecord): Promise<LiveExtras> {
  if (r.status !== 'QUEUED') return {};
  return { queuePosition: await c.get('services').store.queuePosition(r) };
}

/** `GET .../status`: 200 for every state but FAILED, which is 422 with the FAILED body (SPEC 5.1). */
export async function statusResponse(c: Context<AppEnv>, r: RequestRecord): Promise<Response> {
  c.header('X-Request-Id', r.id);
  const body = statusBody(r, await liveExtras(c, r));
  return c.json(body, r.status === 'FAILED' ? 422 : 200);
}

/** `GET /v2/requests/{id}` (and v1): 202 while unfinished, 200 COMPLETED, 422 FAILED (SPEC 5.2, 5.3). */
export async function resultResponse(c: Context<AppEnv>, r: RequestRecord): Promise<Response> {
  c.header('X-Request-Id', r.id);
  c.header('X-Engine', r.engine);
  if (r.status === 'COMPLETED') return c.json(completedBody(r, await outputUrl(c, r)), 200);
  if (r.status === 'FAILED') return c.json(failedBody(r), 422);
  return c.json(pendingBody(r, await liveExtras(c, r)), 202);
}

/** Reelay's signed file route, or (config `outputUrls: presigned`) a presigned S3 URL valid until the request expires. */
export async function outputUrl(c: Context<AppEnv>, r: RequestRecord): Promise<string> {
  const { config, blobs, fileSigningSecret } = c.get('services');
  if (config.outputUrls === 'presigned' && blobs.presignedGetUrl && r.outputKey) {
    const seconds = Math.max(1, Math.ceil(((r.expiresAt ?? Date.now()) - Date.now()) / 1000));
    return blobs.presignedGetUrl(r.outputKey, seconds);
  }
  return `${baseUrl(c)}${outputPath(fileSigningSecret, r.id)}`;
}

export function submitResponseBody(c: Context<AppEnv>, r: RequestRecord): Record<string, unknown> {
  const base = baseUrl(c);
  return {
    request_id: r.id,
    status: 'QUEUED',
    status_url: `${base}/v2/requests/${r.id}/status`,
    response_url: `${base}/v2/requests/${r.id}`,
    poll_url: `${base}/v1/requests/${r.id}`,
  };
}
