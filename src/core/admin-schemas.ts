import { z } from 'zod';
import { REQUEST_STATUSES, SCOPES } from './types.js';

/** Inputs of the admin operations; the HTTP routes and the CLI validate with the same schemas. */
const limit = z.union([z.number().int().min(1), z.null()]);
const positiveCredits = z.coerce
  .number({ error: 'must be a whole number of credits' })
  .int('must be a whole number of credits')
  .positive('must be more than 0');

export const createAccountInput = z.object({
  name: z.string({ error: 'is required' }).trim().min(1, 'is required').max(200, 'must be at most 200 characters'),
  credits: z.coerce.number({ error: 'must be a whole number of credits' }).int('must be a whole number of credits').min(0, 'must not be negative').default(0),
  rpm_limit: limit.optional(),
  inflight_limit: limit.optional(),
});

export const setLimitsInput = z
  .object({ rpm_limit: limit.optional(), inflight_limit: limit.optional() })
  .refine((v) => v.rpm_limit !== undefined || v.inflight_limit !== undefined, {
    error: 'give rpm_limit and/or inflight_limit (a positive integer, or null for the global default)',
    path: ['rpm_limit'],
  });

export const createKeyInput = z.object({
  label: z.string().max(200, 'must be at most 200 characters').default(''),
  scopes: z
    .array(z.enum(SCOPES as [string, ...string[]], { error: `each scope must be one of ${SCOPES.join(', ')}` }))
    .min(1, `must list at least one of ${SCOPES.join(', ')}`)
    .default(['generate', 'read']),
  expires_at: z.iso.datetime({ error: 'must be an ISO 8601 time such as 2027-01-31T00:00:00Z' }).nullable().default(null),
});

export const creditsInput = z.object({
  action: z.enum(['grant', 'deduct'], { error: 'must be "grant" or "deduct"' }),
  amount: positiveCredits,
  reason: z.string({ error: 'is required' }).trim().min(1, 'is required: say why the balance changes').max(500, 'must be at most 500 characters'),
});

export const pageInput = z.object({
  limit: z.coerce
    .number({ error: 'must be an integer from 1 to 200' })
    .int('must be an integer from 1 to 200')
    .min(1, 'must be an integer from 1 to 200')
    .max(200, 'must be an integer from 1 to 200')
    .default(50),
  after: z.string().optional(),
});

export const requestFilterInput = pageInput.extend({
  status: z.enum(REQUEST_STATUSES, { error: `must be one of ${REQUEST_STATUSES.join(', ')}` }).optional(),
  from: z.iso.datetime({ error: 'must be an ISO 8601 time' }).optional(),
  to: z.iso.datetime({ error: 'must be an ISO 8601 time' }).optional(),
});

/** The operator's cross-account request list: the per-account filter plus account (id or name), model and engine. */
export const adminRequestFilterInput = requestFilterInput.extend({
  account: z.string().max(200).optional(),
  model: z.string().max(200).optional(),
  engine: z.string().max(100).optional(),
});
