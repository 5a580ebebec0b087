import sharp from 'sharp';
import { ADMIN_KEY, MODEL, type Target } from './target.js';

/** The accounts, keys and finished requests the attack aims at, made through the admin API. */
export interface World {
  admin: string;
  /** Account A: a full key, a read-only key, a revoked key. Account B: a full key. */
  aFull: string;
  aRead: string;
  aRevoked: string;
  bFull: string;
  aId: string;
  bId: string;
  /** Account C: what the fuzzer's admin calls change (limits, credits), so A and B keep working. */
  cId: string;
  aRequest: string;
  bRequest: string;
  /** A's finished output: `/v2/files/<token>/<name>`. */
  filePath: string;
  png: Buffer;
}

async function call(target: Target, method: string, path: string, key: string, body?: unknown): Promise<Record<string, unknown>> {
  const res = await fetch(`${target.url}${path}`, {
    method,
    headers: { 'x-api-key': key, ...(body === undefined ? {} : { 'content-type': 'application/json' }) },
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  });
  const json = (await res.json()) as Record<string, unknown>;
  if (res.status >= 300) throw new Error(`setup: ${method} ${path} answered ${res.status} ${JSON.stringify(json)}`);
  return json;
}

async function account(target: Target, name: string): Promise<string> {
  return String((await call(target, 'POST', '/admin/accounts', ADMIN_KEY, { name, credits: 10_000_000 })).id);
}

async function key(target: Target, accountId: string, scopes: string[]): Promise<{ key: string; id: string }> {
  const made = await call(target, 'POST', `/admin/accounts/${accountId}/keys`, ADMIN_KEY, { label: 'attack', scopes });
  return { key: String(made.key), id: String(made.id) };
}

/** Submits one valid request and waits for its result body. */
export async function submitAndWait(target: Target, apiKey: string, png: Buffer): Promise<Record<string, unknown>> {
  const image = `data:image/png;base64,${png.toString('base64')}`;
  const { request_id: id } = await call(target, 'POST', `/v2/${MODEL}`, apiKey, { image, seed: 1 });
  const deadline = Date.now() + 30_000;
  for (;;) {
    const res = await fetch(`${target.url}/v2/requests/${String(id)}`, { headers: { 'x-api-key': apiKey } });
    const body = (await res.json()) as Record<string, unknown>;
    if (body.status === 'COMPLETED' || body.status === 'FAILED') return body;
    if (Date.now() > deadline) throw new Error(`setup: request ${String(id)} never finished`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

/** The small valid PNG every attack starts from (the decoy serves it too). */
export function samplePng(): Promise<Buffer> {
  return sharp({ create: { width: 64, height: 36, channels: 3, background: { r: 30, g: 90, b: 160 } } })
    .png()
    .toBuffer();
}

export async function buildWorld(target: Target, png: Buffer): Promise<World> {
  const aId = await account(target, 'attack-a');
  const bId = await account(target, 'attack-b');
  const cId = await account(target, 'attack-c');
  const aFull = await key(target, aId, ['generate', 'read']);
  const aRead = await key(target, aId, ['read']);
  const aRevoked = await key(target, aId, ['generate', 'read']);
  await call(target, 'POST', `/admin/keys/${aRevoked.id}/revoke`, ADMIN_KEY);
  const bFull = await key(target, bId, ['generate', 'read']);
  const a = await submitAndWait(target, aFull.key, png);
  const b = await submitAndWait(target, bFull.key, png);
  if (a.status !== 'COMPLETED') throw new Error(`setup: A's request ended ${JSON.stringify(a)}`);
  return {
    admin: ADMIN_KEY,
    aFull: aFull.key,
    aRead: aRead.key,
    aRevoked: aRevoked.key,
    bFull: bFull.key,
    aId,
    bId,
    cId,
    aRequest: String(a.request_id),
    bRequest: String(b.request_id),
    filePath: new URL(String(a.output)).pathname,
    png,
  };
}
