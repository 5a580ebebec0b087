import { error, secured } from './openapi-parts.js';

function admin(summary: string, body?: Record<string, string>, ok = 200) {
  return {
    summary,
    tags: ['admin'],
    security: secured,
    ...(body
      ? {
          requestBody: {
            required: true,
            content: {
              'application/json': { schema: { type: 'object', properties: Object.fromEntries(Object.entries(body).map(([k, t]) => [k, { description: t }])) } },
            },
          },
        }
      : {}),
    responses: {
      [ok]: { description: 'OK' },
      400: error('Invalid input, naming the field'),
      401: error('Unauthorized'),
      403: error('Not an admin key'),
      404: error('Not found'),
      409: error('Conflict (for example a deduction below zero)'),
    },
  };
}

/** The admin API's part of the OpenAPI document: accounts, keys, credits, requests across accounts. */
export const adminPaths = {
  '/admin/accounts': {
    post: admin(
      'Create an account (optionally with initial credits and limits)',
      { name: 'string', credits: 'integer', rpm_limit: 'integer|null', inflight_limit: 'integer|null' },
      201,
    ),
    get: admin('List accounts (paginated: limit, after)'),
  },
  '/admin/accounts/{id}': { get: admin('An account, by id or name') },
  '/admin/accounts/{id}/limits': {
    patch: admin('Set per-account limits (null = global default)', { rpm_limit: 'integer|null', inflight_limit: 'integer|null' }),
  },
  '/admin/accounts/{id}/keys': {
    post: admin('Create an API key; the key is in the answer once', { label: 'string', scopes: 'array', expires_at: 'date-time|null' }, 201),
    get: admin("List an account's keys (never their hashes)"),
  },
  '/admin/keys/{keyId}/revoke': { post: admin('Revoke a key; effective on the next call') },
  '/admin/accounts/{id}/credits': { post: admin('Grant or deduct credits with a reason', { action: 'grant|deduct', amount: 'integer', reason: 'string' }) },
  '/admin/accounts/{id}/ledger': { get: admin('Ledger entries, newest first (limit, after)') },
  '/admin/accounts/{id}/requests': { get: admin("An account's requests (status, from, to, limit, after)") },
  '/admin/accounts/{id}/webhook-secret': { post: admin("Replace the account's webhook signing secret; the new one is in the answer once") },
  '/admin/requests/{id}/webhooks': { get: admin("A request's webhook deliveries and attempts") },
  '/admin/requests': { get: admin("Every account's requests, newest first (status, model, engine, account = id or name, from, to, limit, after)") },
  '/admin/requests/{id}': { get: admin('One request in full: parameters, account, attempts, timings, output, webhook deliveries') },
  '/admin/requests/{id}/webhooks/{deliveryId}/resend': { post: admin('Send a webhook delivery again now, whatever its state') },
  '/admin/accounts/{id}/suspend': { post: admin('Suspend an account: its keys answer 403 until resumed; the admin account cannot be suspended') },
  '/admin/accounts/{id}/resume': { post: admin('Resume a suspended account') },
  '/admin/overview': {
    get: admin('Live overview: queued and processing by engine, workers holding leases, finished per minute and failure codes over the last 15 minutes'),
  },
};
