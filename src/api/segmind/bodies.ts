import type { RequestRecord } from '../../core/types.js';

/**
 * The JSON bodies of docs/api.md §4 and §5, built from a request row. Segmind's keys come first and
 * keep their meaning; everything else is a Reelay extension a Segmind client ignores.
 */
const iso = (ms: number | null): string | null => (ms === null ? null : new Date(ms).toISOString());
const seconds = (ms: number): number => Math.round(ms) / 1000;

export interface LiveExtras {
  queuePosition?: number;
  etaSeconds?: number;
}

/** Body of `GET .../status` for every state; FAILED is sent with HTTP 422. */
export function statusBody(r: RequestRecord, extras: LiveExtras = {}): Record<string, unknown> {
  if (r.status === 'FAILED') return failedBody(r);
  const body: Record<string, unknown> = {
    request_id: r.id,
    status: r.status,
    created_at: iso(r.createdAt),
    started_at: iso(r.startedAt),
  };
  if (r.status === 'COMPLETED') {
    body.completed_at = iso(r.completedAt);
    body.expires_at = iso(r.expiresAt);
    return body;
  }
  return { ...body, ...liveFields(r, extras) };
}

/** Body of `GET /v2/requests/{id}` while the request is not finished (HTTP 202). */
export function pendingBody(r: RequestRecord, extras: LiveExtras = {}): Record<string, unknown> {
  return { request_id: r.id, status: r.status, ...liveFields(r, extras) };
}

/** Body of `GET /v2/requests/{id}` (and of its webhook) once COMPLETED, with the video's URL. */
export function completedBody(r: RequestRecord, outputUrl: string): Record<string, unknown> {
  return {
    request_id: r.id,
    status: 'COMPLETED',
    error: null,
    output: outputUrl,
    metrics: metrics(r),
    output_type: 'video/mp4',
    seed: r.params.seed,
    // Reelay extension: false when the engine could not apply the seed (Veo via the Gemini API).
    seed_honoured: r.seedHonoured ?? true,
    engine: r.engine,
    expires_at: iso(r.expiresAt),
  };
}

/** Body of a FAILED request wherever it is shown: status, result, sync call, cancel, webhook. */
export function failedBody(r: RequestRecord): Record<string, unknown> {
  return {
    request_id: r.id,
    status: 'FAILED',
    error: r.error ?? 'the request failed',
    code: r.failureCode ?? 'engine_error',
    metrics: { inference_time: r.inferenceSeconds ?? 0 },
    seed: r.params.seed,
    engine: r.engine,
  };
}

/** docs/api.md §4: the answer to an accepted `POST /v2/{model}`, with absolute URLs under `base`. */
export function submitBody(r: RequestRecord, base: string): Record<string, unknown> {
  return {
    request_id: r.id,
    status: 'QUEUED',
    status_url: `${base}/v2/requests/${r.id}/status`,
    response_url: `${base}/v2/requests/${r.id}`,
    poll_url: `${base}/v1/requests/${r.id}`,
  };
}

function metrics(r: RequestRecord): Record<string, number> {
  const queueMs = r.startedAt === null ? 0 : r.startedAt - r.createdAt;
  return { inference_time: r.inferenceSeconds ?? 0, queue_time: seconds(queueMs) };
}

function liveFields(r: RequestRecord, extras: LiveExtras): Record<string, unknown> {
  const fields: Record<string, unknown> = { progress: r.progress };
  if (r.status === 'QUEUED' && extras.queuePosition !== undefined) fields.queue_position = extras.queuePosition;
  if (extras.etaSeconds !== undefined) fields.eta_seconds = extras.etaSeconds;
  return fields;
}
