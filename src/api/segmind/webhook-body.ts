import type { RequestRecord } from '../../core/types.js';
import { completedBody, failedBody } from './bodies.js';

/**
 * The webhook body of a finished request (docs/api.md §8): the same JSON as `GET /v2/requests/{id}`
 * without the `webhook` extension. The store calls this while writing the final status, so the
 * outbox row commits with it; the output URL is the one the worker stored with the completion.
 */
export function renderWebhookBody(r: RequestRecord): string {
  return JSON.stringify(r.status === 'COMPLETED' ? completedBody(r, r.outputUrl ?? '') : failedBody(r));
}
