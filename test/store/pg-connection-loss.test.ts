import { sql } from 'kysely';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { renderWebhookBody } from '../../src/api/segmind/webhook-body.js';
import { silentLogger } from '../../src/logger.js';
import { PgNotifier } from '../../src/notify/pg-notifier.js';
import { createKysely, openPostgres } from '../../src/store/postgres/open-postgres.js';
import { isDeadConnection } from '../../src/store/postgres/resilient-pool.js';
import type { Store } from '../../src/store/store.js';
import { dropSchema, PG_URL, uniqueSchema } from '../helpers/postgres.js';

/**
 * A connection the server drops while this process holds it (checked out, between two statements)
 * must cost that one statement, never the process. Each case terminates a backend from an admin
 * connection, waits until the backend is gone and the client has seen it, and only then goes on:
 * no timing race, so a regression fails every run. An unhandled 'error' event would end this test
 * process, which vitest reports as a failure.
 */
let schema: string;
let admin: pg.Client;
let store: Store;
let pool: pg.Pool;
const lost: Error[] = [];
let onLost: (() => void) | undefined;

beforeAll(async () => {
  schema = uniqueSchema();
  admin = new pg.Client({ connectionString: PG_URL });
  await admin.connect();
  ({ store, pool } = await openPostgres(
    {
      url: PG_URL,
      schema,
      onConnectionError: (err) => {
        lost.push(err);
        onLost?.();
      },
    },
    { renderWebhook: renderWebhookBody },
  ));
});

afterAll(async () => {
  await store?.close();
  await admin?.end();
  if (schema) await dropSchema(schema);
});

/** Terminates a backend and resolves once it is gone from the server and its client has been told. */
async function terminate(pid: number, clientTold: Promise<void>): Promise<void> {
  await admin.query('select pg_terminate_backend($1)', [pid]);
  while ((await admin.query('select 1 from pg_stat_activity where pid = $1', [pid])).rowCount) {
    await new Promise((r) => setTimeout(r, 20));
  }
  await clientTold;
}

function nextLoss(): Promise<void> {
  return new Promise((resolve) => (onLost = resolve));
}

describe('PostgreSQL connection lost while checked out', () => {
  it('inside a transaction: the transaction rejects with a dead-connection error, and the next operation succeeds', async () => {
    const db = createKysely(pool);
    const before = lost.length;
    const told = nextLoss();
    const outcome = db.transaction().execute(async (trx) => {
      const { rows } = await sql<{ pid: number }>`select pg_backend_pid() as pid`.execute(trx);
      await terminate(rows[0]!.pid, told);
      await sql`select 1`.execute(trx);
    });
    const err = await outcome.then(
      () => undefined,
      (e: unknown) => e,
    );
    expect(err).toBeDefined();
    expect(isDeadConnection(err)).toBe(true);
    // Told at least once (the server's FATAL message, and maybe the socket's end after it).
    expect(lost.length).toBeGreaterThan(before);
    expect(await store.getOrCreateSetting('after_tx_loss', () => 'ok')).toBe('ok');
  });

  it('a plain checkout: its next query rejects, the pool discards it on release and serves the next caller', async () => {
    const client = await pool.connect();
    const { rows } = await client.query<{ pid: number }>('select pg_backend_pid() as pid');
    await terminate(rows[0]!.pid, nextLoss());
    const err = await client.query('select 1').then(
      () => undefined,
      (e: unknown) => e,
    );
    expect(isDeadConnection(err)).toBe(true);
    client.release();
    const again = await pool.query<{ pid: number }>('select pg_backend_pid() as pid');
    expect(again.rows[0]!.pid).not.toBe(rows[0]!.pid);
    expect(await store.getOrCreateSetting('after_checkout_loss', () => 'ok')).toBe('ok');
  });

  it('the LISTEN connection: the notifier reconnects and delivers the next notification', async () => {
    const notifier = new PgNotifier(PG_URL, pool, schema, silentLogger());
    await notifier.start();
    try {
      const listening = async (): Promise<number> => {
        const { rows } = await admin.query<{ pid: number }>(`select pid from pg_stat_activity where application_name = $1 and query ilike 'listen%'`, [
          `reelay_${schema}`,
        ]);
        return rows[0]?.pid ?? 0;
      };
      const pid = await listening();
      expect(pid).toBeGreaterThan(0);
      await admin.query('select pg_terminate_backend($1)', [pid]);

      // Keep notifying until the re-opened connection hears it: proof that it listens again.
      let heard = false;
      const off = notifier.onRequestChanged('probe', () => (heard = true));
      while (!heard) {
        await admin.query('select pg_notify($1, $2)', [`reelay_request_${schema}`, 'probe']);
        await new Promise((r) => setTimeout(r, 100));
      }
      off();
      expect(await listening()).not.toBe(pid);
    } finally {
      await notifier.close();
    }
  });
});
