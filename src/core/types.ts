import type { AspectRatio } from '@reelay/sdk';

/**
 * Glossary
 * - request: one generation asked for by a client; a row in the store, the single source of truth.
 * - status: QUEUED → PROCESSING → COMPLETED | FAILED. There is no other state (docs/api.md §5.1).
 * - lease: a worker's time-limited claim on a PROCESSING request; it is renewed by heartbeats and,
 *   once expired, lets another worker claim the request again (up to `maxAttempts`).
 * - engine: what renders a request (`motion`, `veo`, ...); every result names it.
 * - blob: bytes kept outside the store (input images, output videos), addressed by a key.
 * - failure code: why a FAILED request failed; stable strings clients can switch on.
 */
export const REQUEST_STATUSES = ['QUEUED', 'PROCESSING', 'COMPLETED', 'FAILED'] as const;
export type RequestStatus = (typeof REQUEST_STATUSES)[number];

export const FAILURE_CODES = ['invalid_input', 'content_blocked', 'engine_error', 'timeout', 'canceled', 'upstream_unavailable', 'rate_limited'] as const;
export type FailureCode = (typeof FAILURE_CODES)[number];

export type { AspectRatio };

/** Validated parameters of `veo-2-image2video`, after defaults; the seed is always concrete. */
export interface VideoParams {
  prompt: string;
  duration: 5 | 6 | 7 | 8;
  aspect_ratio: AspectRatio;
  seed: number;
}

export type Scope = 'generate' | 'read' | 'admin';
export const SCOPES: readonly Scope[] = ['generate', 'read', 'admin'];

/** Fault injection of the emulator (issue 2, item 6); only honoured when the operator enables it. */
export const FAULTS = ['content_blocked', 'engine_error', 'timeout', 'slow'] as const;
export type Fault = (typeof FAULTS)[number];

export interface RequestRecord {
  id: string;
  accountId: string;
  model: string;
  engine: string;
  params: VideoParams;
  fault: Fault | null;
  status: RequestStatus;
  progress: number;
  attempts: number;
  leaseOwner: string | null;
  leaseExpiresAt: number | null;
  inputKey: string;
  inputMime: string;
  outputKey: string | null;
  outputBytes: number | null;
  error: string | null;
  failureCode: FailureCode | null;
  createdAt: number;
  startedAt: number | null;
  completedAt: number | null;
  /** Seconds spent rendering (the last attempt), reported as metrics.inference_time. */
  inferenceSeconds: number | null;
  expiresAt: number | null;
  /** Credits charged at submit (refunded if it fails for a reason that is not the client's). */
  price: number;
  /** Bumped by every visible change; long-poll compares it and SSE uses it as the event id. */
  version: number;
  /** Base URL the client submitted to, for absolute URLs in webhooks. */
  baseUrl: string | null;
  webhookUrl: string | null;
  /** Output URL as built at completion (webhook bodies); routes build their own from the caller's base. */
  outputUrl: string | null;
  idempotencyKey: string | null;
  requestHash: string | null;
  /** Null until completed; false when the engine could not apply the seed. */
  seedHonoured: boolean | null;
  /**
   * The front door the request came through (`openai`, `gemini`), null for Reelay's own API; each
   * door shows only its own requests. Core treats it as an opaque label.
   */
  door: string | null;
  /** The model name the door's client asked for (e.g. `sora-2`), shown back by that door. */
  doorModel: string | null;
}
