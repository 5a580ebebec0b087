import { z } from 'zod';
import { ReelayError } from '../errors.js';
import { InvalidCursorError } from '../store/sql/db.js';
import type { Store } from '../store/store.js';
import type { RequestRecord } from './types.js';

/** Query of `GET /v2/requests` (Reelay extension): a page of the caller's own requests, newest first. */
export const historyInput = z.object({
  limit: z.coerce
    .number({ error: 'must be an integer from 1 to 100' })
    .int('must be an integer from 1 to 100')
    .min(1, 'must be an integer from 1 to 100')
    .max(100, 'must be an integer from 1 to 100')
    .default(20),
  cursor: z.string().max(500, 'must be a `next` value from a previous page').optional(),
});

/**
 * One account's requests made through Reelay's own API, newest first, in keyset pages. Rows past their expiry that the sweeper
 * has not deleted yet are left out: expired means gone everywhere (docs/api.md §5.4).
 */
export async function accountHistory(
  store: Store,
  accountId: string,
  input: z.output<typeof historyInput>,
  now = Date.now(),
): Promise<{ items: RequestRecord[]; next: string | null }> {
  try {
    // Only requests made through this API (door null): the others are followed through their own door, by its ids.
    const page = await store.listRequests(accountId, { limit: input.limit, after: input.cursor, door: null });
    return { items: page.items.filter((r) => r.expiresAt === null || r.expiresAt > now), next: page.next };
  } catch (err) {
    if (err instanceof InvalidCursorError) {
      throw new ReelayError('invalid_request', err.message, { details: [{ field: 'cursor', message: 'must be a `next` value from a previous page' }] });
    }
    throw err;
  }
}
