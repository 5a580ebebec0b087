import { notFound } from '../errors.js';
import type { Services } from './context.js';
import type { RequestRecord } from './types.js';

export interface Caller {
  accountId: string;
  isAdmin: boolean;
}

/**
 * The request as this caller may see it. Another account's request, and one past its expiry
 * (even before the sweeper has deleted it), are not_found exactly like an id that never existed.
 */
export async function findVisibleRequest(services: Services, id: string, caller: Caller | null): Promise<RequestRecord> {
  const request = await services.store.getRequest(id);
  if (!request) throw notFound();
  if (caller && !caller.isAdmin && request.accountId !== caller.accountId) throw notFound();
  if (request.expiresAt !== null && request.expiresAt <= Date.now()) throw notFound();
  return request;
}
