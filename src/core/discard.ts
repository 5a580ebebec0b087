import type { Services } from './context.js';
import type { RequestRecord } from './types.js';

/**
 * Removes a finished request for good: output and input blobs first, then the row, so a crash in
 * between leaves a row that the retention sweep finishes (never a row pointing at nothing that
 * still answers). Used by expiry and by a client deleting its request.
 */
export async function discardRequest(services: Services, request: RequestRecord): Promise<void> {
  if (request.outputKey) await services.blobs.delete(request.outputKey);
  await services.blobs.delete(request.inputKey);
  await services.store.deleteRequest(request.id);
}
