import { z } from 'zod';
import { FAILURE_CODES, REQUEST_STATUSES, SCOPES } from '../core/types.js';
import { Delivery } from './wire-schemas.js';

/**
 * The admin API's JSON bodies (docs/api.md, the admin rows of Routes), as zod schemas: the OpenAPI document is generated
 * from them and the API tests check every admin answer against them. Keys' hashes appear in none.
 */
const time = z.iso.datetime();
const next = z.string().nullable().meta({ description: 'Cursor (`after`) of the next page; null on the last' });

export const Account = z
  .strictObject({
    id: z.string(),
    name: z.string(),
    is_admin: z.boolean(),
    balance: z.int().meta({ description: 'Credits' }),
    rpm_limit: z.int().nullable().meta({ description: 'Requests per minute; null = the global default' }),
    inflight_limit: z.int().nullable().meta({ description: 'Unfinished requests at once; null = the global default' }),
    suspended_at: time.nullable(),
    created_at: time,
  })
  .meta({
    example: {
      id: 'acc_01',
      name: 'studio',
      is_admin: false,
      balance: 100,
      rpm_limit: null,
      inflight_limit: null,
      suspended_at: null,
      created_at: '2026-12-08T04:00:00.000Z',
    },
  });

export const AccountList = z.strictObject({ accounts: z.array(Account), next });

export const ApiKey = z.strictObject({
  id: z.string(),
  account_id: z.string(),
  prefix: z.string().meta({ description: 'The first characters of the key, to recognise it' }),
  label: z.string(),
  scopes: z.array(z.enum(SCOPES as [string, ...string[]])),
  created_at: time,
  expires_at: time.nullable(),
  revoked_at: time.nullable(),
  last_used_at: time.nullable(),
});

export const CreatedKey = ApiKey.extend({ key: z.string().meta({ description: 'The key itself: shown this once, stored only as a hash' }) });
export const KeyList = z.strictObject({ keys: z.array(ApiKey) });

const LedgerEntry = z.strictObject({
  id: z.string(),
  kind: z.string().meta({ example: 'grant' }),
  amount: z.int(),
  balance_after: z.int(),
  request_id: z.string().nullable(),
  reason: z.string().nullable(),
  created_at: time,
});
export const CreditsChanged = z.strictObject({ balance: z.int(), entry: LedgerEntry });
export const Ledger = z.strictObject({ balance: z.int(), entries: z.array(LedgerEntry), next });

const requestSummary = {
  request_id: z.string(),
  model: z.string(),
  door: z.string().nullable().meta({ description: "The API it came through (openai, gemini); null = Reelay's own" }),
  door_model: z.string().nullable().meta({ description: "The model name that API's client asked for" }),
  engine: z.string(),
  status: z.enum(REQUEST_STATUSES),
  code: z.enum(FAILURE_CODES).nullable(),
  error: z.string().nullable(),
  price: z.number(),
  params: z.looseObject({ prompt: z.string(), duration: z.int(), aspect_ratio: z.string(), seed: z.int().nullable() }),
  attempts: z.int().min(0),
  created_at: time,
  started_at: time.nullable(),
  completed_at: time.nullable(),
  expires_at: time.nullable(),
};
export const RequestPage = z.strictObject({ requests: z.array(z.strictObject(requestSummary)), next });
export const AllRequestsPage = z.strictObject({ requests: z.array(z.strictObject({ ...requestSummary, account_id: z.string() })), next });

export const RequestDetail = z.strictObject({
  ...requestSummary,
  account: z.strictObject({ id: z.string(), name: z.string().nullable() }),
  progress: z.int().min(0).max(100),
  seed: z.int().nullable(),
  seed_honoured: z.boolean().nullable(),
  lease_owner: z.string().nullable(),
  output_bytes: z.int().nullable(),
  timings: z.strictObject({ queue_seconds: z.number().nullable(), inference_seconds: z.number().nullable(), total_seconds: z.number().nullable() }),
  webhook_url: z.string().nullable(),
  deliveries: z.array(Delivery),
  output: z.url().nullable(),
});

export const Deliveries = z.strictObject({ request_id: z.string(), webhook_url: z.string().nullable(), deliveries: z.array(Delivery) });
export const WebhookSecret = z.strictObject({ account_id: z.string(), webhook_secret: z.string().meta({ description: 'Shown this once' }) });

const byEngine = z.record(z.string(), z.int().min(0));
export const Overview = z.strictObject({
  queued: byEngine,
  processing: byEngine,
  workers: z.array(z.string()),
  window_minutes: z.int(),
  finished_per_minute: z.array(z.strictObject({ minute: time, completed: z.int().min(0), failed: z.int().min(0) })),
  failure_codes: z.partialRecord(z.enum(FAILURE_CODES), z.int().min(0)),
});
