import type { Context } from 'hono';
import { acceptRequest, type Submission } from '../core/accept.js';
import type { RequestRecord } from '../core/types.js';
import { baseUrl } from './base-url.js';
import type { HeldBody } from './body.js';
import type { AppEnv } from './env.js';

/** What a front door hands the core: its fields in Reelay's names, and who it is. */
export type DoorSubmission = Pick<Submission, 'model' | 'fields' | 'upload' | 'door'>;

/**
 * Accepts a submission made through any front door: the caller's account and limits, the
 * `x-reelay-fault` and `Idempotency-Key` headers and this call's base URL are the same for all.
 * Releases the body once the core has what it needs.
 */
export async function acceptCall(c: Context<AppEnv>, submission: DoorSubmission, body: HeldBody): Promise<RequestRecord> {
  const services = c.get('services');
  const { accountId, account } = c.get('auth');
  const fault = c.req.header('x-reelay-fault');
  const idempotencyKey = c.req.header('idempotency-key');
  try {
    const { request, balance } = await acceptRequest(
      services,
      {
        ...submission,
        accountId,
        ...(fault !== undefined ? { fault } : {}),
        ...(idempotencyKey !== undefined ? { idempotencyKey } : {}),
        baseUrl: baseUrl(c),
      },
      { maxInflight: account.inflightLimit ?? services.config.limits.maxInflight },
    );
    if (balance !== undefined) c.header('X-Remaining-Credits', String(balance));
    return request;
  } finally {
    // The body, its image and their decoded forms are garbage from here on (a v1 call's wait holds none of it).
    body.release();
  }
}
