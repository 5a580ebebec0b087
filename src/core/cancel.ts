import { ReelayError } from '../errors.js';
import type { Services } from './context.js';
import type { RequestRecord } from './types.js';
import { isFinal } from './wait.js';

/**
 * Cancels a QUEUED or PROCESSING request (docs/api.md §8): it ends FAILED with code `canceled` and the
 * store refunds it in the same transaction. A worker running it sees the change and stops the
 * engine. A request that is already finished (or finishes first in a race) is a `conflict`
 * naming its status. Returns the request as it is now, FAILED.
 */
export async function cancelRequest(services: Services, request: RequestRecord): Promise<RequestRecord> {
  const now = Date.now();
  const canceled =
    !isFinal(request) &&
    (await services.store.fail(request.id, null, {
      code: 'canceled',
      error: 'canceled by user',
      inferenceSeconds: null,
      completedAt: now,
      expiresAt: now + services.config.retention,
    }));
  const current = (await services.store.getRequest(request.id)) ?? request;
  if (!canceled) {
    throw new ReelayError('conflict', `Request is already ${current.status} and cannot be canceled`, {
      data: { requestId: request.id, status: current.status },
    });
  }
  services.notifier.requestChanged(request.id);
  return current;
}
