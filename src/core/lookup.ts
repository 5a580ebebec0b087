import { notFound } from '../errors.js';
import type { Services } from './context.js';
import type { RequestRecord } from './types.js';

export interface Caller {
  accountId: string;
  isAdmin: boolean;
  /**
   * The front door asking (null: Reelay's own API). A request is visible only through the door it
   * came in by, so each door's ids stay its own; absent means any door (signed file URLs).
   */
  door?: string | null;
}

/**
 * The request as this caller may see it. Another account's request, and one past its expiry
 * (even before the sweeper has deleted it), are not_found exactly like an id that never existed.
 */
export async function findVisibleRequest(services: Services, id: string, caller: Caller | null): Promise<RequestRecord> {
  const request = await services.store.getRequest(id);
  if (!request) throw notFound();
  if (caller && !caller.isAdmin && request.accountId !== caller.accountId) throw notFound();
  if (caller?.door !== undefined && request.door !== caller.door) throw notFound();
  if (request.expiresAt !== null && request.expiresAt <= Date.now()) throw notFound();
  return request;
}
