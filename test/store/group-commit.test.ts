import { join } from 'node:path';
import BetterSqlite3 from 'better-sqlite3';
import { CompiledQuery, Kysely, PostgresDialect, sql, SqliteDialect } from 'kysely';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { migrateToLatest } from '../../src/store/migrations/index.js';
import { createPool } from '../../src/store/postgres/open-postgres.js';
import type { Database } from '../../src/store/schema.js';
import { accountQueries } from '../../src/store/sql/accounts.js';
import type { Db, Dialect } from '../../src/store/sql/db.js';
import { unfinishedCounts } from '../../src/store/sql/enqueue-group.js';
import { groupCommitter } from '../../src/store/sql/group-commit.js';
import { ledgerQueries } from '../../src/store/sql/ledger.js';
import type { EnqueueResult } from '../../src/store/store.js';
import { dropSchema, PG_URL, uniqueSchema } from '../helpers/postgres.js';
import { tempDir } from '../helpers/temp-dir.js';
import { newRequest } from './fixtures.js';

interface Opened {
  db: Db;
  dialect: Dialect;
  /** How many transactions began since the accounts were set up (Kysely logs BEGIN as a query). */
  transactions(): Promise<number>;
  dispose(): Promise<void>;
}

const BACKENDS: Array<[Dialect, () => Promise<Opened>]> = [
  [
    'sqlite',
    async () => {
      const dir = await tempDir('reelay-group-');
      let begins = 0;
      const db = new Kysely<Database>({
        dialect: new SqliteDialect({ database: new BetterSqlite3(join(dir, 'g.db')) }),
        log: (event) => {
          if (/^begin/i.test(event.query.sql)) begins++;
        },
      });
      await migrateToLatest(db as unknown as Kysely<unknown>);
      const before = begins;
      return { db, dialect: 'sqlite', transactions: async () => begins - before, dispose: () => db.destroy() };
    },
  ],
  [
    'postgres',
    async () => {
      const schema = uniqueSchema();
      let begins = 0;
      const db = new Kysely<Database>({
        dialect: new PostgresDialect({ pool: createPool({ url: PG_URL, schema }) }),
        log: (event) => {
          if (/^begin/i.test(event.query.sql)) begins++;
        },
      });
      await sql`create schema if not exists ${sql.id(schema)}`.execute(db);
      await migrateToLatest(db as unknown as Kysely<unknown>, schema);
      const before = begins;
      return {
        db,
        dialect: 'postgres',
        transactions: async () => begins - before,
        async dispose() {
          await db.destroy();
          await dropSchema(schema);
        },
      };
    },
  ],
];

describe.each(BACKENDS)('group commit of submits: %s', (_name, open) => {
  let opened: Opened;
  let enqueue: ReturnType<typeof groupCommitter>;
  const accounts = ['acct-b', 'acct-a', 'acct-c'];

  beforeEach(async () => {
    opened = await open();
    enqueue = groupCommitter(opened.db, opened.dialect);
    const { createAccount } = accountQueries(opened.db);
    const { changeCredits } = ledgerQueries(opened.db, opened.dialect);
    for (const id of accounts) {
      await createAccount({ id, name: id, isAdmin: false, createdAt: Date.now() });
      await changeCredits(id, 'grant', 5, 'test', Date.now());
    }
  });
  afterEach(() => opened.dispose());

  it('parallel submits share transactions, and each account still pays for exactly what it can', async () => {
    // 30 submits of 1 credit against 5 credits in each of 3 accounts, all at once.
    const results = await Promise.all(Array.from({ length: 30 }, (_, i) => enqueue(newRequest(accounts[i % 3]!, { price: 1 }), 1000)));
    for (const account of accounts) {
      const mine = results.filter((_, i) => accounts[i % 3] === account);
      expect(mine.filter((r) => r.kind === 'accepted')).toHaveLength(5);
      expect(mine.filter((r) => r.kind === 'insufficient_credits')).toHaveLength(5);
      const { balance } = (await accountQueries(opened.db).getAccount(account))!;
      expect(balance).toBe(0);
    }
    // 15 accepted rows; one at a time they would be 15 transactions.
    expect(await opened.transactions()).toBeLessThan(5);
  });

  it('a submit that fails inside a group fails alone; the rest of its group is kept', async () => {
    const taken = newRequest('acct-a', { id: 'taken', price: 1 });
    expect((await enqueue(taken, 1000)).kind).toBe('accepted');
    const settled = await Promise.allSettled([
      enqueue(newRequest('acct-a', { price: 1 }), 1000),
      enqueue(newRequest('acct-b', { id: 'taken', price: 1 }), 1000), // duplicate primary key
      enqueue(newRequest('acct-c', { price: 1 }), 1000),
    ]);
    expect(settled.map((s) => s.status)).toEqual(['fulfilled', 'rejected', 'fulfilled']);
    expect(settled.filter((s): s is PromiseFulfilledResult<EnqueueResult> => s.status === 'fulfilled').map((s) => s.value.kind)).toEqual([
      'accepted',
      'accepted',
    ]);
    // The failed submit charged nothing.
    expect((await accountQueries(opened.db).getAccount('acct-b'))!.balance).toBe(5);
    expect((await accountQueries(opened.db).getAccount('acct-a'))!.balance).toBe(3);
  });

  it('idempotency keys hold within one group: one request, the rest are duplicates or conflicts', async () => {
    const results = await Promise.all([
      ...Array.from({ length: 6 }, () => enqueue(newRequest('acct-a', { price: 1, idempotencyKey: 'k', requestHash: 'h' }), 1000)),
      enqueue(newRequest('acct-a', { price: 1, idempotencyKey: 'k', requestHash: 'other' }), 1000),
    ]);
    expect(results.filter((r) => r.kind === 'accepted')).toHaveLength(1);
    expect(results.filter((r) => r.kind === 'duplicate')).toHaveLength(5);
    expect(results.at(-1)!.kind).toBe('idempotency_conflict');
    expect((await accountQueries(opened.db).getAccount('acct-a'))!.balance).toBe(4);
  });
});

describe('the in-flight count of a submit (SQLite plan)', () => {
  it('reads only the unfinished requests of the account, not every request it ever made', async () => {
    const [, open] = BACKENDS[0]!;
    const opened = await open();
    try {
      const compiled = unfinishedCounts(opened.db, ['acct-a']).groupBy('account_id').compile();
      const plan = await opened.db.executeQuery<{ detail: string }>(CompiledQuery.raw(`explain query plan ${compiled.sql}`, [...compiled.parameters]));
      const details = plan.rows.map((r) => r.detail).join('\n');
      expect(details).toMatch(/COVERING INDEX requests_account_status \(account_id=\? AND status=\?\)/);
    } finally {
      await opened.dispose();
    }
  });
});
