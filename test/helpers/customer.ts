import { expect } from 'vitest';
import type { TestServer } from './server.js';

/** Calls the admin API with the server's admin key; returns status and JSON body. */
export async function adminCall(server: TestServer, method: string, path: string, body?: unknown): Promise<{ status: number; body: Record<string, unknown> }> {
  const res = await server.call(path, {
    method,
    ...(body === undefined ? {} : { body: JSON.stringify(body), headers: { 'content-type': 'application/json' } }),
  });
  return { status: res.status, body: (await res.json()) as Record<string, unknown> };
}

/** A new account with `credits` and a generate+read key; `limits` are admin account fields (rpm_limit, inflight_limit). */
export async function createCustomer(
  server: TestServer,
  name: string,
  credits: number,
  limits: Record<string, number> = {},
): Promise<{ id: string; key: string }> {
  const account = await adminCall(server, 'POST', '/admin/accounts', { name, credits, ...limits });
  expect(account.status).toBe(201);
  const key = await adminCall(server, 'POST', `/admin/accounts/${String(account.body.id)}/keys`, { label: 'test', scopes: ['generate', 'read'] });
  expect(key.status).toBe(201);
  return { id: String(account.body.id), key: String(key.body.key) };
}

/** The account's balance, read through the admin API. */
export const balanceOf = async (server: TestServer, id: string): Promise<number> =>
  Number((await adminCall(server, 'GET', `/admin/accounts/${id}`)).body.balance);
