import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import BetterSqlite3 from 'better-sqlite3';
import { Kysely, PostgresDialect, sql, SqliteDialect } from 'kysely';
import { migrateToLatest } from '../src/store/migrations/index.js';
import { createPool } from '../src/store/postgres/open-postgres.js';
import type { Database } from '../src/store/schema.js';
import { accountQueries } from '../src/store/sql/accounts.js';
import type { Db, Dialect } from '../src/store/sql/db.js';
import { enqueueGroup } from '../src/store/sql/enqueue-group.js';
import { enqueueInTransaction } from '../src/store/sql/enqueue.js';
import { ledgerQueries } from '../src/store/sql/ledger.js';
import type { NewRequest } from '../src/store/store.js';
import { dropSchema, PG_URL, uniqueSchema } from '../test/helpers/postgres.js';
import { benchRequest, loadAverage, ratio, table } from './lib.js';

const GROUP = 16;
const GROUPS_PER_ROUND = 15;
const ROUNDS = 3;
const ACCOUNT = 'bench-account';

async function open(dialect: Dialect): Promise<{ db: Db; dispose(): Promise<void> }> {
  if (dialect === 'sqlite') {
    const dir = await mkdtemp(join(tmpdir(), 'reelay-bench-store-'));
    const conn = new BetterSqlite3(join(dir, 'ab.db'));
    conn.pragma('journal_mode = WAL');
    conn.pragma('synchronous = FULL');
    const db = new Kysely<Database>({ dialect: new SqliteDialect({ database: conn }) });
    await migrateToLatest(db as unknown as Kysely<unknown>);
    return { db, dispose: async () => (await db.destroy(), await rm(dir, { recursive: true, force: true })) };
  }
  const schema = uniqueSchema();
  const db = new Kysely<Database>({ dialect: new PostgresDialect({ pool: createPool({ url: PG_URL, schema }) }) });
  await sql`create schema if not exists ${sql.id(schema)}`.execute(db);
  await migrateToLatest(db as unknown as Kysely<unknown>, schema);
  return { db, dispose: async () => (await db.destroy(), await dropSchema(schema)) };
}

const submit = (): NewRequest => benchRequest(ACCOUNT);

/** The group's transaction as it was before enqueue-group.ts: each submit's nine statements in a savepoint. */
async function oneByOne(db: Db, dialect: Dialect, group: NewRequest[]): Promise<void> {
  await db.transaction().execute(async (tx) => {
    for (const r of group) {
      await sql`savepoint reelay_submit`.execute(tx);
      await enqueueInTransaction(tx, dialect, r, Number.MAX_SAFE_INTEGER);
      await sql`release savepoint reelay_submit`.execute(tx);
    }
  });
}

async function grouped(db: Db, dialect: Dialect, group: NewRequest[]): Promise<void> {
  await db.transaction().execute((tx) =>
    enqueueGroup(
      tx,
      dialect,
      group.map((request) => ({ request, inflightLimit: Number.MAX_SAFE_INTEGER })),
    ),
  );
}

/**
 * The store's share of a submit, A/B in one run on one database: a group of 16 submits written
 * statement by statement per submit (before) and in the group's fixed statements (now),
 * alternated round by round so both see the same machine.
 */
export async function storeAb(): Promise<void> {
  console.log(`\nStore A/B: one transaction of ${GROUP} submits, ${GROUPS_PER_ROUND} transactions per round, ${ROUNDS} rounds alternated, one account`);
  const rows: Array<Record<string, string>> = [];
  for (const dialect of ['sqlite', 'postgres'] as const) {
    const { db, dispose } = await open(dialect);
    try {
      await accountQueries(db).createAccount({ id: ACCOUNT, name: ACCOUNT, isAdmin: false, createdAt: Date.now() });
      await ledgerQueries(db, dialect).changeCredits(ACCOUNT, 'grant', 1_000_000_000, 'bench', Date.now());
      const totals = { before: { ms: 0, cpu: 0 }, now: { ms: 0, cpu: 0 } };
      for (let round = 0; round < ROUNDS; round++) {
        for (const [name, run] of [
          ['before', oneByOne],
          ['now', grouped],
        ] as const) {
          const cpu = process.cpuUsage();
          const started = performance.now();
          for (let g = 0; g < GROUPS_PER_ROUND; g++) await run(db, dialect, Array.from({ length: GROUP }, submit));
          totals[name].ms += performance.now() - started;
          const used = process.cpuUsage(cpu);
          totals[name].cpu += used.user + used.system;
        }
      }
      const n = ROUNDS * GROUPS_PER_ROUND * GROUP;
      const perSecond = (ms: number) => (n / ms) * 1000;
      for (const name of ['before', 'now'] as const) {
        rows.push({
          store: dialect,
          path: name === 'before' ? 'nine statements per submit (before)' : 'fixed statements per group (now)',
          'submits/s': perSecond(totals[name].ms).toFixed(0),
          'CPU µs/submit': (totals[name].cpu / n).toFixed(0),
          'now ÷ before': name === 'now' ? ratio(perSecond(totals.now.ms), perSecond(totals.before.ms)) : '1.00×',
        });
      }
      console.log(`  ${dialect} done (load average ${loadAverage()})`);
    } finally {
      await dispose();
    }
  }
  table(rows);
}
