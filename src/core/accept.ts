import { createHash, randomUUID } from 'node:crypto';
import { ReelayError, invalidRequest, type FieldProblem } from '../errors.js';
import { checkImageBytes, ImageInputError, loadImageField, type AcceptedImage } from './image/index.js';
import { parseVideoParams, profileOf } from './params.js';
import { webhookUrlProblem } from '../net/webhook-url.js';
import type { Services } from './context.js';
import type { EnqueueResult } from '../store/store.js';
import { FAULTS, type Fault, type RequestRecord, type VideoParams } from './types.js';

export interface Submission {
  model: string;
  accountId: string;
  /** The request body's fields (JSON object, or the text fields of a multipart form). */
  fields: Record<string, unknown>;
  /** The image as an uploaded file part (multipart), instead of the `image` field. */
  upload?: Buffer;
  /** The `x-reelay-fault` header, if sent. */
  fault?: string;
  /** Base of the absolute URLs this client is given (for webhook bodies built later). */
  baseUrl: string;
  /** The `Idempotency-Key` header, if sent. */
  idempotencyKey?: string;
  /** The front door it came through and the model name its client used (absent: Reelay's own API). */
  door?: { name: string; model: string };
}

export type ModelConfig = Services['config']['models'][string];

/** The configuration of `model` (engine, price), or a model_not_found error naming it. */
export function modelConfig(services: Services, model: string): ModelConfig {
  const entry = Object.hasOwn(services.config.models, model) ? services.config.models[model] : undefined;
  if (!entry) throw new ReelayError('model_not_found', `Model not found: ${model}`);
  return entry;
}

/** Credits a request costs: a per-request part plus a per-second part, so 8 s costs more than 5 s. */
export function priceOf(model: ModelConfig, params: VideoParams): number {
  return model.price.perRequest + model.price.perSecond * params.duration;
}

export interface Accepted {
  request: RequestRecord;
  /** The account's balance after the charge; undefined when an idempotent retry returned the original. */
  balance: number | undefined;
}

export const MAX_IDEMPOTENCY_KEY = 255;
export const MAX_WEBHOOK_URL = 2048;

/**
 * Validates a submission completely (every field, the image fetched and decoded), then makes it
 * durable: input blob first, then the request row. Only after this returns may the client be told
 * the request id, so a crash at any point either loses nothing or leaves nothing half-made.
 */
export async function acceptRequest(services: Services, s: Submission, limits: { maxInflight: number }): Promise<Accepted> {
  const model = modelConfig(services, s.model);
  const { params, problems } = parseVideoParams(s.fields, profileOf(model.parameters));
  const fault = checkFault(services, s.fault, problems);
  const webhookUrl = await checkWebhook(services, s.fields.webhook, problems);
  if (s.idempotencyKey !== undefined && (s.idempotencyKey.length === 0 || s.idempotencyKey.length > MAX_IDEMPOTENCY_KEY)) {
    problems.push({ field: 'Idempotency-Key', message: `must be 1 to ${MAX_IDEMPOTENCY_KEY} characters` });
  }
  const image = await checkImage(services, s, problems);
  if (problems.length > 0 || !params || !image) throw invalidRequest(problems);

  const id = randomUUID();
  const inputKey = `inputs/${id}`;
  await services.blobs.put(inputKey, { bytes: image.bytes });
  const price = priceOf(model, params);
  let result: EnqueueResult;
  try {
    result = await services.store.enqueuePaid(
      {
        id,
        accountId: s.accountId,
        model: s.model,
        engine: model.engine,
        params,
        fault,
        inputKey,
        inputMime: image.mime,
        createdAt: Date.now(),
        price,
        baseUrl: s.baseUrl,
        webhookUrl,
        idempotencyKey: s.idempotencyKey ?? null,
        requestHash: s.idempotencyKey === undefined ? null : fingerprint(s),
        door: s.door?.name ?? null,
        doorModel: s.door?.model ?? null,
      },
      limits.maxInflight,
    );
  } catch (err) {
    await services.blobs.delete(inputKey);
    throw err;
  }
  if (result.kind !== 'accepted') await services.blobs.delete(inputKey);
  if (result.kind === 'duplicate') return { request: result.request, balance: undefined };
  if (result.kind === 'idempotency_conflict') {
    throw new ReelayError('conflict', `Idempotency-Key was already used with different parameters for request ${result.request.id}`, {
      data: { requestId: result.request.id },
    });
  }
  if (result.kind !== 'accepted') throw refusal(result, price, limits.maxInflight);
  services.notifier.workAvailable();
  const request = await services.store.getRequest(id);
  if (!request) throw new Error(`request ${id} vanished right after insert`);
  return { request, balance: result.balance };
}

/** How long a client at its in-flight cap should wait before trying again: about one short render. */
const INFLIGHT_RETRY_AFTER_S = 5;

function refusal(result: Extract<EnqueueResult, { kind: 'insufficient_credits' | 'inflight_limit' }>, price: number, maxInflight: number): ReelayError {
  if (result.kind === 'insufficient_credits') {
    return new ReelayError('insufficient_credits', `Insufficient credits: this request costs ${price} credits and the account has ${result.balance}`, {
      data: { balance: result.balance },
    });
  }
  return new ReelayError('rate_limited', `Too many unfinished requests: the account has ${result.inflight} queued or processing, the limit is ${maxInflight}`, {
    data: { retryAfterSeconds: INFLIGHT_RETRY_AFTER_S },
  });
}

async function checkImage(services: Services, s: Submission, problems: FieldProblem[]): Promise<AcceptedImage | undefined> {
  const { image: imageConfig } = services.config;
  const limits = { maxEncodedBytes: imageConfig.maxEncodedBytes, maxPixels: imageConfig.maxPixels };
  try {
    if (s.upload) return await checkImageBytes(s.upload, limits);
    const value = s.fields.image;
    if (value === undefined || value === null || value === '') {
      problems.push({ field: 'image', message: 'is required: an http(s) URL, a data:image/...;base64, URI, or bare base64 of a JPEG, PNG or WebP image' });
      return undefined;
    }
    if (typeof value !== 'string') {
      problems.push({ field: 'image', message: 'must be a string: an http(s) URL, a data:image/...;base64, URI, or bare base64' });
      return undefined;
    }
    return await loadImageField(value, {
      limits,
      fetch: { timeoutMs: imageConfig.fetchTimeout, maxRedirects: imageConfig.maxRedirects, allowList: imageConfig.allowList },
    });
  } catch (err) {
    if (err instanceof ImageInputError) {
      problems.push({ field: 'image', message: err.message });
      return undefined;
    }
    throw err;
  }
}

/**
 * What an idempotent retry must repeat: the model and every field (in a stable order), and the
 * uploaded file's bytes. Multipart boundaries and JSON key order do not matter.
 */
function fingerprint(s: Submission): string {
  const hash = createHash('sha256').update(s.model).update('\0');
  // A key reused through another front door is a different request, not a retry.
  if (s.door) hash.update(`door:${s.door.name}:${s.door.model}\0`);
  for (const key of Object.keys(s.fields).sort())
    hash
      .update(key)
      .update('\0')
      .update(JSON.stringify(s.fields[key]) ?? '')
      .update('\0');
  if (s.upload) hash.update('upload\0').update(s.upload);
  return hash.digest('hex');
}

async function checkWebhook(services: Services, value: unknown, problems: FieldProblem[]): Promise<string | null> {
  if (value === undefined || value === null) return null;
  if (typeof value === 'string' && value.length > MAX_WEBHOOK_URL) {
    problems.push({ field: 'webhook', message: `must be at most ${MAX_WEBHOOK_URL} characters` });
    return null;
  }
  const problem = await webhookUrlProblem(value, services.config.webhooks.allowList);
  if (problem) {
    problems.push({ field: 'webhook', message: problem });
    return null;
  }
  return value as string;
}

function checkFault(services: Services, header: string | undefined, problems: FieldProblem[]): Fault | null {
  if (header === undefined || header === '') return null;
  if (!services.config.emulatorFaults) {
    problems.push({ field: 'x-reelay-fault', message: 'fault injection is off on this server; the operator enables it with REELAY_EMULATOR_FAULTS=true' });
    return null;
  }
  if (!(FAULTS as readonly string[]).includes(header)) {
    problems.push({ field: 'x-reelay-fault', message: `must be one of ${FAULTS.join(', ')}` });
    return null;
  }
  return header as Fault;
}
