import type { Services } from '../core/context.js';
import type { BodyBudget } from './body-budget.js';
import type { Scope } from '../core/types.js';
import type { Account } from '../store/store.js';

export interface Auth {
  keyId: string;
  accountId: string;
  isAdmin: boolean;
  scopes: Scope[];
  /** The key's account as read at authentication (limits, balance). */
  account: Account;
}

/** Hono's typing of per-call variables. */
export interface AppEnv {
  Variables: {
    services: Services;
    /** Id of this HTTP call (X-Request-Id when no generation request is involved). */
    callId: string;
    auth: Auth;
    /** This process's budget of request-body bytes held at once. */
    bodyBudget: BodyBudget;
  };
}
