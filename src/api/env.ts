import type { Services } from '../core/context.js';
import type { Scope } from '../core/types.js';

export interface Auth {
  keyId: string;
  accountId: string;
  isAdmin: boolean;
  scopes: Scope[];
}

/** Hono's typing of per-call variables. */
export interface AppEnv {
  Variables: {
    services: Services;
    /** Id of this HTTP call (X-Request-Id when no generation request is involved). */
    callId: string;
    auth: Auth;
  };
}
