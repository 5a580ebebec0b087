import type { z } from 'zod';
import { invalidRequest, ReelayError } from '../errors.js';
import type { Store } from '../store/store.js';
import { InvalidCursorError } from '../store/sql/db.js';
import { createAccount, createKey } from './api-keys.js';
import type { createAccountInput, createKeyInput, creditsInput, pageInput, requestFilterInput, setLimitsInput } from './admin-schemas.js';
import { generateWebhookSecret } from '../webhooks/signature.js';
import { accountView, deliveryView, keyView, ledgerView, requestSummaryView } from './admin-views.js';
import type { Scope } from './types.js';

/**
 * The admin operations, shared by the HTTP admin API and the CLI's local mode, so both behave
 * (and answer) the same. Inputs are already validated with the schemas of admin-schemas.ts.
 */
type Json = Record<string, unknown>;

async function account(store: Store, id: string) {
  const found = await store.findAccount(id);
  if (!found) throw new ReelayError('not_found', `Account not found: ${id}`);
  return found;
}

export async function adminCreateAccount(store: Store, input: z.output<typeof createAccountInput>): Promise<Json> {
  const created = await createAccount(store, input.name, false);
  if (input.credits > 0) await store.changeCredits(created.id, 'grant', input.credits, 'initial credits', Date.now());
  if (input.rpm_limit !== undefined || input.inflight_limit !== undefined) {
    await store.setAccountLimits(created.id, { rpmLimit: input.rpm_limit, inflightLimit: input.inflight_limit });
  }
  return accountView(await account(store, created.id));
}

export async function adminListAccounts(store: Store, page: z.output<typeof pageInput>): Promise<Json> {
  const { items, next } = await paged(() => store.listAccounts(page));
  return { accounts: items.map(accountView), next };
}

export async function adminGetAccount(store: Store, id: string): Promise<Json> {
  return accountView(await account(store, id));
}

export async function adminSetLimits(store: Store, id: string, input: z.output<typeof setLimitsInput>): Promise<Json> {
  const target = await account(store, id);
  const updated = await store.setAccountLimits(target.id, { rpmLimit: input.rpm_limit, inflightLimit: input.inflight_limit });
  return accountView(updated ?? target);
}

export async function adminCreateKey(store: Store, accountId: string, input: z.output<typeof createKeyInput>): Promise<Json> {
  const target = await account(store, accountId);
  if (input.scopes.includes('admin') && !target.isAdmin) {
    throw invalidRequest([{ field: 'scopes', message: '"admin" can only be given to keys of an admin account; customer keys use "generate" and "read"' }]);
  }
  const expiresAt = input.expires_at === null ? null : Date.parse(input.expires_at);
  const { key, record } = await createKey(store, { accountId: target.id, scopes: input.scopes as Scope[], label: input.label, expiresAt });
  return { key, ...keyView(record) };
}

export async function adminListKeys(store: Store, accountId: string): Promise<Json> {
  const target = await account(store, accountId);
  return { keys: (await store.listApiKeys(target.id)).map(keyView) };
}

export async function adminRevokeKey(store: Store, keyId: string): Promise<Json> {
  const key = await store.getApiKey(keyId);
  if (!key) throw new ReelayError('not_found', `API key not found: ${keyId}`);
  await store.revokeApiKey(keyId, Date.now());
  return keyView((await store.getApiKey(keyId)) ?? key);
}

export async function adminChangeCredits(store: Store, accountId: string, input: z.output<typeof creditsInput>): Promise<Json> {
  const target = await account(store, accountId);
  const amount = input.action === 'grant' ? input.amount : -input.amount;
  const entry = await store.changeCredits(target.id, input.action === 'grant' ? 'grant' : 'adjustment', amount, input.reason, Date.now());
  if (!entry) {
    const now = await account(store, target.id);
    throw new ReelayError('conflict', `Cannot deduct ${input.amount} credits: the balance is ${now.balance} and may not go below 0`);
  }
  return { balance: entry.balanceAfter, entry: ledgerView(entry) };
}

export async function adminLedger(store: Store, accountId: string, page: z.output<typeof pageInput>): Promise<Json> {
  const target = await account(store, accountId);
  const { items, next } = await paged(() => store.listLedger(target.id, page));
  return { balance: target.balance, entries: items.map(ledgerView), next };
}

export async function adminRequests(store: Store, accountId: string, filter: z.output<typeof requestFilterInput>): Promise<Json> {
  const target = await account(store, accountId);
  const { items, next } = await paged(() =>
    store.listRequests(target.id, {
      limit: filter.limit,
      after: filter.after,
      status: filter.status,
      createdFrom: filter.from === undefined ? undefined : Date.parse(filter.from),
      createdTo: filter.to === undefined ? undefined : Date.parse(filter.to),
    }),
  );
  return { requests: items.map(requestSummaryView), next };
}

export async function paged<T>(load: () => Promise<T>): Promise<T> {
  try {
    return await load();
  } catch (err) {
    if (err instanceof InvalidCursorError) {
      throw new ReelayError('invalid_request', err.message, { details: [{ field: 'after', message: 'must be a `next` value from a previous page' }] });
    }
    throw err;
  }
}

/** Replaces the account's webhook signing secret and shows the new one, once. */
export async function adminRotateWebhookSecret(store: Store, accountId: string): Promise<Json> {
  const target = await account(store, accountId);
  const secret = generateWebhookSecret();
  await store.setWebhookSecret(target.id, secret);
  return { account_id: target.id, webhook_secret: secret };
}

/** Every webhook delivery of a request, with its attempts, status and last error. */
export async function adminDeliveries(store: Store, requestId: string): Promise<Json> {
  const request = await store.getRequest(requestId);
  if (!request) throw new ReelayError('not_found', 'Request not found');
  return { request_id: requestId, webhook_url: request.webhookUrl, deliveries: (await store.listDeliveries(requestId)).map(deliveryView) };
}
