import type { Config } from '../config.js';
import { createAccount, createKey } from '../core/api-keys.js';
import { SCOPES, type Scope } from '../core/types.js';
import { silentLogger } from '../logger.js';
import { openServices } from '../server.js';
import { UsageError } from './usage-error.js';

/** `reelay keys create`: works on the data dir directly, so it needs no running server (SQLite WAL allows both). */
export async function keysCreate(
  config: Config,
  opts: { label?: string | undefined; scopes?: string | undefined; account?: string | undefined },
): Promise<void> {
  const scopes = (opts.scopes ?? 'generate,read').split(',').map((s) => s.trim()).filter(Boolean);
  const unknown = scopes.filter((s) => !(SCOPES as readonly string[]).includes(s));
  if (scopes.length === 0 || unknown.length > 0) {
    throw new UsageError(`--scopes must list some of ${SCOPES.join(', ')} (got "${opts.scopes ?? ''}")`);
  }
  const services = await openServices(config, silentLogger());
  try {
    let account = opts.account ? await services.store.findAccount(opts.account) : await services.store.findAdminAccount();
    if (!account && opts.account) account = await createAccount(services.store, opts.account, false);
    if (!account) account = await createAccount(services.store, 'admin', true);
    const { key, record } = await createKey(services.store, { accountId: account.id, scopes: scopes as Scope[], label: opts.label ?? '' });
    process.stdout.write(
      `${key}\n` +
        `(key ${record.id} for account "${account.name}", scopes ${record.scopes.join(',')}; shown once, store it now)\n`,
    );
  } finally {
    await services.store.close();
  }
}
