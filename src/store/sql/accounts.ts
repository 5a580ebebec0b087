import { toAccount, toApiKey } from '../rows.js';
import type { Account, Store } from '../store.js';
import { decodeCursor, encodeCursor, type Db } from './db.js';

type AccountQueries = Pick<
  Store,
  | 'createAccount'
  | 'countAccounts'
  | 'getAccount'
  | 'findAccount'
  | 'findAdminAccount'
  | 'listAccounts'
  | 'setAccountLimits'
  | 'setAccountSuspended'
  | 'createApiKey'
  | 'listApiKeys'
  | 'getApiKey'
  | 'revokeApiKey'
  | 'findActiveKey'
>;

/** Accounts and their API keys. */
export function accountQueries(db: Db): AccountQueries {
  const getAccount = async (id: string): Promise<Account | undefined> => {
    const row = await db.selectFrom('accounts').selectAll().where('id', '=', id).executeTakeFirst();
    return row ? toAccount(row) : undefined;
  };

  return {
    getAccount,

    async createAccount(account) {
      const res = await db
        .insertInto('accounts')
        .values({ id: account.id, name: account.name, is_admin: account.isAdmin ? 1 : 0, created_at: account.createdAt, rpm_limit: null, inflight_limit: null })
        .onConflict((oc) => oc.column('id').doNothing())
        .executeTakeFirst();
      return Number(res.numInsertedOrUpdatedRows ?? 0n) === 1;
    },

    async countAccounts() {
      const row = await db
        .selectFrom('accounts')
        .select((eb) => eb.fn.countAll().as('n'))
        .executeTakeFirstOrThrow();
      return Number(row.n);
    },

    async findAccount(idOrName) {
      const row = await db
        .selectFrom('accounts')
        .selectAll()
        .where((eb) => eb.or([eb('id', '=', idOrName), eb('name', '=', idOrName)]))
        .orderBy('created_at')
        .executeTakeFirst();
      return row ? toAccount(row) : undefined;
    },

    async findAdminAccount() {
      const row = await db.selectFrom('accounts').selectAll().where('is_admin', '=', 1).orderBy('created_at').executeTakeFirst();
      return row ? toAccount(row) : undefined;
    },

    async listAccounts(page) {
      const after = decodeCursor(page.after);
      let query = db
        .selectFrom('accounts')
        .selectAll()
        .orderBy('created_at')
        .orderBy('id')
        .limit(page.limit + 1);
      if (after) {
        const [createdAt, id] = after;
        query = query.where((eb) => eb.or([eb('created_at', '>', createdAt), eb.and([eb('created_at', '=', createdAt), eb('id', '>', id)])]));
      }
      const rows = await query.execute();
      const items = rows.slice(0, page.limit).map(toAccount);
      const last = items.at(-1);
      return { items, next: rows.length > page.limit && last ? encodeCursor(last.createdAt, last.id) : null };
    },

    async setAccountLimits(id, limits) {
      const changes: { rpm_limit?: number | null; inflight_limit?: number | null } = {};
      if (limits.rpmLimit !== undefined) changes.rpm_limit = limits.rpmLimit;
      if (limits.inflightLimit !== undefined) changes.inflight_limit = limits.inflightLimit;
      if (Object.keys(changes).length > 0) await db.updateTable('accounts').set(changes).where('id', '=', id).execute();
      return getAccount(id);
    },

    async createApiKey(key, keyHash) {
      await db
        .insertInto('api_keys')
        .values({
          id: key.id,
          account_id: key.accountId,
          key_hash: keyHash,
          prefix: key.prefix,
          scopes: key.scopes.join(','),
          label: key.label,
          created_at: key.createdAt,
          expires_at: key.expiresAt,
          revoked_at: key.revokedAt,
          last_used_at: key.lastUsedAt,
        })
        .execute();
    },

    async listApiKeys(accountId) {
      const rows = await db.selectFrom('api_keys').selectAll().where('account_id', '=', accountId).orderBy('created_at').execute();
      return rows.map(toApiKey);
    },

    async getApiKey(id) {
      const row = await db.selectFrom('api_keys').selectAll().where('id', '=', id).executeTakeFirst();
      return row ? toApiKey(row) : undefined;
    },

    async revokeApiKey(id, now) {
      const res = await db.updateTable('api_keys').set({ revoked_at: now }).where('id', '=', id).where('revoked_at', 'is', null).executeTakeFirst();
      return Number(res.numUpdatedRows) === 1;
    },

    async setAccountSuspended(id, suspendedAt) {
      await db.updateTable('accounts').set({ suspended_at: suspendedAt }).where('id', '=', id).execute();
      return getAccount(id);
    },

    async findActiveKey(keyHash, now) {
      const row = await db
        .selectFrom('api_keys')
        .innerJoin('accounts', 'accounts.id', 'api_keys.account_id')
        .selectAll('api_keys')
        .select([
          'accounts.name',
          'accounts.is_admin',
          'accounts.created_at as account_created_at',
          'accounts.balance',
          'accounts.rpm_limit',
          'accounts.inflight_limit',
          'accounts.suspended_at',
        ])
        .where('api_keys.key_hash', '=', keyHash)
        .where('api_keys.revoked_at', 'is', null)
        .where((eb) => eb.or([eb('api_keys.expires_at', 'is', null), eb('api_keys.expires_at', '>', now)]))
        .executeTakeFirst();
      if (!row) return undefined;
      // Last-used is advisory: written when it moved by a minute, so polling does not turn every read into a write.
      if (row.last_used_at === null || now - Number(row.last_used_at) > 60_000) {
        await db.updateTable('api_keys').set({ last_used_at: now }).where('id', '=', row.id).execute();
      }
      const account = toAccount({
        id: row.account_id,
        name: row.name,
        is_admin: row.is_admin,
        created_at: row.account_created_at,
        balance: row.balance,
        rpm_limit: row.rpm_limit,
        inflight_limit: row.inflight_limit,
        suspended_at: row.suspended_at,
      });
      return { ...toApiKey(row), account };
    },
  };
}
