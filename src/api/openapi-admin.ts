import type { z } from 'zod';
import {
  adminRequestFilterInput,
  createAccountInput,
  createKeyInput,
  creditsInput,
  pageInput,
  requestFilterInput,
  setLimitsInput,
} from '../core/admin-schemas.js';
import { body, error, json, query, secured } from './openapi-parts.js';
import type { WireName } from './openapi-wire.js';

interface AdminOp {
  /** The success body's wire schema. */
  ok: WireName;
  /** The zod schema the route validates its JSON body with. */
  input?: z.ZodType;
  /** The zod schema the route validates its query with. */
  filter?: z.ZodObject;
  status?: 200 | 201;
}

const pathParams = (path: string) =>
  [...path.matchAll(/\{(\w+)\}/g)].map(([, name]) => ({
    name,
    in: 'path',
    required: true,
    schema: { type: 'string' },
    ...(name === 'id' && path.startsWith('/admin/accounts') ? { description: 'Account id or name' } : {}),
  }));

function admin(path: string, summary: string, { ok, input, filter, status = 200 }: AdminOp) {
  const parameters = [...pathParams(path), ...(filter ? query(filter) : [])];
  return {
    summary,
    tags: ['admin'],
    security: secured,
    ...(parameters.length > 0 ? { parameters } : {}),
    ...(input ? { requestBody: body(input) } : {}),
    responses: {
      [status]: json(ok, status === 201 ? 'Created' : 'OK'),
      400: error('Invalid input, naming the field'),
      401: error('Unauthorized'),
      403: error('Not an admin key'),
      404: error('Not found'),
      409: error('Conflict (for example a deduction below zero)'),
    },
  };
}

const ops = {
  '/admin/accounts': {
    post: ['Create an account (optionally with initial credits and limits)', { ok: 'Account', input: createAccountInput, status: 201 }],
    get: ['List accounts (paginated: limit, after)', { ok: 'AccountList', filter: pageInput }],
  },
  '/admin/accounts/{id}': { get: ['An account, by id or name', { ok: 'Account' }] },
  '/admin/accounts/{id}/limits': { patch: ['Set per-account limits (null = global default)', { ok: 'Account', input: setLimitsInput }] },
  '/admin/accounts/{id}/keys': {
    post: ['Create an API key; the key is in the answer once', { ok: 'CreatedKey', input: createKeyInput, status: 201 }],
    get: ["List an account's keys (never their hashes)", { ok: 'KeyList' }],
  },
  '/admin/keys/{keyId}/revoke': { post: ['Revoke a key; effective on the next call', { ok: 'ApiKey' }] },
  '/admin/accounts/{id}/credits': { post: ['Grant or deduct credits with a reason', { ok: 'CreditsChanged', input: creditsInput }] },
  '/admin/accounts/{id}/ledger': { get: ['Ledger entries, newest first (limit, after)', { ok: 'Ledger', filter: pageInput }] },
  '/admin/accounts/{id}/requests': { get: ["An account's requests (status, from, to, limit, after)", { ok: 'RequestPage', filter: requestFilterInput }] },
  '/admin/accounts/{id}/webhook-secret': { post: ["Replace the account's webhook signing secret; the new one is in the answer once", { ok: 'WebhookSecret' }] },
  '/admin/requests/{id}/webhooks': { get: ["A request's webhook deliveries and attempts", { ok: 'Deliveries' }] },
  '/admin/requests': {
    get: [
      "Every account's requests, newest first (status, model, engine, account = id or name, from, to, limit, after)",
      { ok: 'AllRequestsPage', filter: adminRequestFilterInput },
    ],
  },
  '/admin/requests/{id}': { get: ['One request in full: parameters, account, attempts, timings, output, webhook deliveries', { ok: 'RequestDetail' }] },
  '/admin/requests/{id}/webhooks/{deliveryId}/resend': { post: ['Send a webhook delivery again now, whatever its state', { ok: 'Delivery' }] },
  '/admin/accounts/{id}/suspend': { post: ['Suspend an account: its keys answer 403 until resumed; the admin account cannot be suspended', { ok: 'Account' }] },
  '/admin/accounts/{id}/resume': { post: ['Resume a suspended account', { ok: 'Account' }] },
  '/admin/overview': {
    get: [
      'Live overview: queued and processing by engine, workers holding leases, finished per minute and failure codes over the last 15 minutes',
      { ok: 'Overview' },
    ],
  },
} satisfies Record<string, Record<string, [string, AdminOp]>>;

/** The admin API's part of the OpenAPI document: accounts, keys, credits, requests across accounts. */
export const adminPaths = Object.fromEntries(
  Object.entries(ops).map(([path, methods]) => [
    path,
    Object.fromEntries(Object.entries(methods).map(([method, [summary, op]]) => [method, admin(path, summary, op as AdminOp)])),
  ]),
) as { [P in keyof typeof ops]: { [M in keyof (typeof ops)[P]]: ReturnType<typeof admin> } };
