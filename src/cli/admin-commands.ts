import { parseArgs } from 'node:util';
import {
  adminChangeCredits,
  adminCreateAccount,
  adminCreateKey,
  adminGetAccount,
  adminLedger,
  adminListAccounts,
  adminListKeys,
  adminRequests,
  adminRevokeKey,
  adminSetLimits,
} from '../core/admin.js';
import { createAccountInput, createKeyInput, creditsInput, pageInput, requestFilterInput, setLimitsInput } from '../core/admin-schemas.js';
import { parseInput } from '../core/validate.js';
import type { AdminOp, Json } from './admin-client.js';
import { UsageError } from './usage-error.js';

const enc = encodeURIComponent;

const OPTIONS = {
  credits: { type: 'string' },
  rpm: { type: 'string' },
  inflight: { type: 'string' },
  label: { type: 'string' },
  scopes: { type: 'string' },
  expires: { type: 'string' },
  account: { type: 'string' },
  reason: { type: 'string' },
  limit: { type: 'string' },
  after: { type: 'string' },
  status: { type: 'string' },
  from: { type: 'string' },
  to: { type: 'string' },
  server: { type: 'string' },
  key: { type: 'string' },
  help: { type: 'boolean' },
  json: { type: 'boolean' },
} as const;

export type AdminArgs = ReturnType<typeof parseAdminArgs>;

export function parseAdminArgs(group: string, argv: string[]) {
  try {
    return parseArgs({ args: argv, options: OPTIONS, allowPositionals: true });
  } catch (err) {
    throw new UsageError(err instanceof Error ? err.message : String(err), group);
  }
}

/** "none" or "default" clears a per-account limit; a number sets it. */
function limitValue(raw: string | undefined): number | null | undefined {
  if (raw === undefined) return undefined;
  if (raw === 'none' || raw === 'default') return null;
  return Number(raw);
}

function need(value: string | undefined, what: string): string {
  if (!value) throw new UsageError(`missing ${what}`);
  return value;
}

/**
 * Turns `reelay <group> <verb> ...` into one admin operation. Inputs are validated by the same
 * schemas as the HTTP API, so the CLI's local mode refuses exactly what the server would.
 */
export function adminOp(group: string, verb: string | undefined, args: AdminArgs): AdminOp {
  const { values: v, positionals: p } = args;
  const page = { limit: v.limit, after: v.after };
  switch (`${group} ${verb ?? ''}`) {
    case 'accounts create': {
      const body: Json = { name: need(p[0], 'account NAME'), credits: v.credits ?? 0, rpm_limit: limitValue(v.rpm), inflight_limit: limitValue(v.inflight) };
      return { method: 'POST', path: '/admin/accounts', body, local: (s) => adminCreateAccount(s, parseInput(createAccountInput, body)) };
    }
    case 'accounts list':
      return { method: 'GET', path: '/admin/accounts', query: page, local: (s) => adminListAccounts(s, parseInput(pageInput, page)) };
    case 'accounts show': {
      const id = need(p[0], 'ACCOUNT');
      return { method: 'GET', path: `/admin/accounts/${enc(id)}`, local: (s) => adminGetAccount(s, id) };
    }
    case 'accounts limits': {
      const id = need(p[0], 'ACCOUNT');
      const body: Json = { rpm_limit: limitValue(v.rpm), inflight_limit: limitValue(v.inflight) };
      return { method: 'PATCH', path: `/admin/accounts/${enc(id)}/limits`, body, local: (s) => adminSetLimits(s, id, parseInput(setLimitsInput, body)) };
    }
    case 'accounts requests': {
      const id = need(p[0], 'ACCOUNT');
      const query = { ...page, status: v.status, from: v.from, to: v.to };
      return { method: 'GET', path: `/admin/accounts/${enc(id)}/requests`, query, local: (s) => adminRequests(s, id, parseInput(requestFilterInput, query)) };
    }
    case 'keys create': {
      const id = v.account ?? 'admin';
      const body: Json = {
        label: v.label ?? '',
        scopes: (v.scopes ?? 'generate,read')
          .split(',')
          .map((x) => x.trim())
          .filter(Boolean),
        expires_at: v.expires ?? null,
      };
      return { method: 'POST', path: `/admin/accounts/${enc(id)}/keys`, body, local: (s) => adminCreateKey(s, id, parseInput(createKeyInput, body)) };
    }
    case 'keys list': {
      const id = need(p[0] ?? v.account, 'ACCOUNT');
      return { method: 'GET', path: `/admin/accounts/${enc(id)}/keys`, local: (s) => adminListKeys(s, id) };
    }
    case 'keys revoke': {
      const keyId = need(p[0], 'KEY_ID');
      return { method: 'POST', path: `/admin/keys/${enc(keyId)}/revoke`, local: (s) => adminRevokeKey(s, keyId) };
    }
    case 'credits grant':
    case 'credits deduct': {
      const id = need(p[0], 'ACCOUNT');
      const body: Json = { action: verb, amount: need(p[1], 'AMOUNT'), reason: v.reason ?? '' };
      return { method: 'POST', path: `/admin/accounts/${enc(id)}/credits`, body, local: (s) => adminChangeCredits(s, id, parseInput(creditsInput, body)) };
    }
    case 'credits ledger': {
      const id = need(p[0], 'ACCOUNT');
      return { method: 'GET', path: `/admin/accounts/${enc(id)}/ledger`, query: page, local: (s) => adminLedger(s, id, parseInput(pageInput, page)) };
    }
    default:
      throw new UsageError(`unknown command "${group} ${verb ?? ''}"`, group);
  }
}
