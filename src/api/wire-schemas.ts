import { z } from 'zod';
import { FAILURE_CODES, REQUEST_STATUSES } from '../core/types.js';

/**
 * The JSON bodies Reelay's own API answers with (docs/api.md §4-§8), as zod schemas. The OpenAPI
 * document's response schemas are generated from these, and the API tests check every JSON answer
 * they receive against them, so the document cannot drift from the wire. Objects are strict: a
 * field the server adds must be documented here first.
 */
const time = z.iso.datetime();
const url = z.url();
const id = z.string().meta({ example: '0b6f1c1e-3f0a-4a61-9a53-1f1f8a2b9c10' });

export const ErrorBody = z
  .strictObject({
    error: z.string().meta({ description: 'What went wrong, for a person' }),
    code: z.string().meta({ description: 'Stable machine-readable code (docs/api.md §6)', example: 'invalid_request' }),
    request_id: id.optional().meta({ description: 'The generation request concerned, when there is one' }),
    status: z.enum(REQUEST_STATUSES).optional().meta({ description: "The request's status (a 409 on cancel of a finished request)" }),
    details: z
      .array(z.strictObject({ field: z.string(), message: z.string() }))
      .optional()
      .meta({ description: 'One entry per invalid field' }),
  })
  .meta({
    description: 'Segmind\'s error shape, `{"error","code"}`, with Reelay\'s extensions',
    example: { error: 'duration: must be one of 5, 6, 7, 8', code: 'invalid_request', details: [{ field: 'duration', message: 'must be one of 5, 6, 7, 8' }] },
  });

export const Submitted = z
  .strictObject({
    request_id: id,
    status: z.literal('QUEUED'),
    status_url: url,
    response_url: url,
    poll_url: url.meta({ description: "Segmind's v1 result URL" }),
  })
  .meta({ description: 'An accepted asynchronous submit (docs/api.md §4)' });

const live = {
  progress: z.int().min(0).max(100),
  queue_position: z.int().min(0).optional().meta({ description: 'Reelay extension: requests ahead of this one (QUEUED only)' }),
  eta_seconds: z.number().min(0).optional().meta({ description: 'Reelay extension: estimated seconds until done' }),
};

// docs/api.md §5.1: the live states carry progress (and the queue extensions); COMPLETED carries its times instead.
export const Status = z
  .union([
    z.strictObject({ request_id: id, status: z.enum(['QUEUED', 'PROCESSING']), created_at: time, started_at: time.nullable(), ...live }),
    z.strictObject({ request_id: id, status: z.literal('COMPLETED'), created_at: time, started_at: time.nullable(), completed_at: time, expires_at: time }),
  ])
  .meta({ description: 'Status of a request that has not failed (docs/api.md §5.1)' });

/** The webhook extension of a result: the latest delivery, or `waiting` before the first. */
export const Delivery = z.strictObject({
  id: z.string(),
  url,
  status: z.enum(['pending', 'delivered', 'failed']),
  attempts: z.int().min(0),
  last_status: z.int().nullable(),
  last_error: z.string().nullable(),
  next_attempt_at: time.nullable(),
  delivered_at: time.nullable(),
  created_at: time,
});
const webhookState = z.union([Delivery, z.strictObject({ url, status: z.literal('waiting') })]).meta({ description: 'Reelay extension: the webhook delivery' });

export const Pending = z.strictObject({ request_id: id, status: z.enum(['QUEUED', 'PROCESSING']), ...live, webhook: webhookState.optional() }).meta({
  description: 'A request not finished yet (HTTP 202)',
});

export const Completed = z
  .strictObject({
    request_id: id,
    status: z.literal('COMPLETED'),
    error: z.null(),
    output: url.meta({ description: 'The video, a signed URL' }),
    metrics: z.strictObject({ inference_time: z.number(), queue_time: z.number() }),
    output_type: z.literal('video/mp4'),
    seed: z.int(),
    seed_honoured: z.boolean().meta({ description: 'Reelay extension: false when the engine could not apply the seed (Veo via the Gemini API)' }),
    engine: z.string(),
    expires_at: time,
    webhook: webhookState.optional(),
  })
  .meta({ description: 'A COMPLETED request (docs/api.md §5.2)' });

export const Failed = z
  .strictObject({
    request_id: id,
    status: z.literal('FAILED'),
    error: z.string(),
    code: z.enum(FAILURE_CODES),
    metrics: z.strictObject({ inference_time: z.number() }),
    seed: z.int(),
    engine: z.string(),
    webhook: webhookState.optional(),
  })
  .meta({
    description: 'A FAILED request, wherever it is shown (HTTP 422; 200 from cancel)',
    example: {
      request_id: '0b6f1c1e-3f0a-4a61-9a53-1f1f8a2b9c10',
      status: 'FAILED',
      error: 'canceled by the client',
      code: 'canceled',
      metrics: { inference_time: 0 },
      seed: 7,
      engine: 'motion',
    },
  });

export const WebhookTestResult = z
  .strictObject({ ok: z.boolean(), webhook_id: z.string(), status: z.int().nullable(), error: z.string().nullable(), duration_ms: z.int().min(0) })
  .meta({ description: "The test delivery's outcome: the receiver's HTTP status or the error" });

const params = z.looseObject({ prompt: z.string(), duration: z.int(), aspect_ratio: z.string(), seed: z.int().nullable() });

export const HistoryPage = z
  .strictObject({
    requests: z.array(
      z.strictObject({
        request_id: id,
        model: z.string(),
        engine: z.string(),
        status: z.enum(REQUEST_STATUSES),
        progress: z.int().min(0).max(100),
        params,
        seed: z.int().nullable(),
        price: z.number(),
        error: z.string().nullable(),
        code: z.enum(FAILURE_CODES).nullable(),
        output: url.nullable(),
        inference_time: z.number().nullable(),
        created_at: time,
        started_at: time.nullable(),
        completed_at: time.nullable(),
        expires_at: time.nullable(),
      }),
    ),
    next: z.string().nullable().meta({ description: 'Cursor of the next page; null on the last' }),
  })
  .meta({ description: "A page of this account's requests, newest first" });

const nullableNumber = z.number().nullable();
export const ModelList = z
  .strictObject({
    models: z.array(
      z.strictObject({
        slug: z.string().meta({ example: 'veo-2-image2video' }),
        name: z.string(),
        engine: z.string(),
        engine_note: z.string().nullable(),
        generative: z.boolean().nullable(),
        seed_reproducible: z.boolean().nullable(),
        output_type: z.literal('video/mp4'),
        price: z.strictObject({ currency: z.literal('credits'), per_second: nullableNumber, per_request: nullableNumber }),
        timeout_seconds: z.int(),
        parameters: z.record(z.string(), z.looseObject({ type: z.union([z.string(), z.array(z.string())]) })),
        parameters_schema: z
          .looseObject({ type: z.literal('object'), properties: z.record(z.string(), z.unknown()) })
          .meta({ description: 'JSON Schema of the parameters' }),
      }),
    ),
    doors: z
      .record(z.string(), z.looseObject({ base_url_path: z.string(), api: z.string() }))
      .meta({ description: 'The other front doors and their model maps' }),
  })
  .meta({ description: 'The models this server offers (docs/api.md §8)' });

export const Healthz = z.strictObject({ status: z.literal('ok') });
export const Readiness = z
  .strictObject({
    status: z.enum(['ready', 'not_ready']),
    checks: z.record(z.string(), z.string()).meta({ description: 'store, worker: "ok" or what is wrong' }),
    engines: z.record(z.string(), z.unknown()).optional().meta({ description: "What the worker's engines depend on; never makes the process unready" }),
  })
  .meta({ example: { status: 'ready', checks: { store: 'ok', worker: 'ok' } } });
