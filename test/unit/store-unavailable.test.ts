import { join } from 'node:path';
import BetterSqlite3 from 'better-sqlite3';
import { Hono } from 'hono';
import pg from 'pg';
import { describe, expect, it } from 'vitest';
import { errorResponse } from '../../src/api/error-handler.js';
import type { AppEnv } from '../../src/api/env.js';
import { isStoreUnavailable } from '../../src/store/unavailable.js';
import { closedPort } from '../helpers/loopback.js';
import { PG_URL } from '../helpers/postgres.js';
import { tempDir } from '../helpers/temp-dir.js';

/** The errors the drivers really throw, caught from real failures. */
async function caught(fn: () => unknown): Promise<unknown> {
  try {
    await fn();
  } catch (err) {
    return err;
  }
  throw new Error('expected a failure');
}

async function sqliteBusy(): Promise<unknown> {
  const file = join(await tempDir('reelay-busy-'), 'db');
  const holder = new BetterSqlite3(file);
  holder.exec('create table t (x); begin immediate; insert into t values (1)');
  const other = new BetterSqlite3(file, { timeout: 10 });
  try {
    return await caught(() => other.exec('begin immediate'));
  } finally {
    other.close();
    holder.close();
  }
}

async function postgresRefused(): Promise<unknown> {
  const client = new pg.Client({ connectionString: `postgres://postgres@127.0.0.1:${await closedPort()}/test` });
  return caught(() => client.connect());
}

async function postgresTerminated(): Promise<unknown> {
  const victim = new pg.Client({ connectionString: PG_URL });
  victim.on('error', () => {});
  await victim.connect();
  const pid = ((await victim.query('select pg_backend_pid() as pid')).rows[0] as { pid: number }).pid;
  const killer = new pg.Client({ connectionString: PG_URL });
  await killer.connect();
  try {
    // Caught from the start: it fails while the terminate is still being answered.
    const failure = caught(() => victim.query('select pg_sleep(30)'));
    await killer.query('select pg_terminate_backend($1)', [pid]);
    return await failure;
  } finally {
    await killer.end();
    await victim.end().catch(() => {});
  }
}

function appThrowing(err: unknown): Hono<AppEnv> {
  const app = new Hono<AppEnv>();
  app.use('*', async (c, next) => {
    c.set('callId', 'call-1');
    await next();
  });
  app.get('/', () => {
    throw err;
  });
  app.onError((e, c) => errorResponse(e, c));
  return app;
}

describe('a store that cannot answer is a 503 to retry, not a 500', () => {
  it.each([
    ['SQLite locked past busy_timeout', sqliteBusy],
    ['PostgreSQL refusing connections', postgresRefused],
    ['a PostgreSQL connection terminated mid-statement', postgresTerminated],
  ])('%s', async (_what, make) => {
    const err = await make();
    expect(isStoreUnavailable(err)).toBe(true);
    const res = await appThrowing(err).request('/');
    expect(res.status).toBe(503);
    expect(res.headers.get('retry-after')).toBe('2');
    expect(await res.json()).toEqual({ error: expect.stringMatching(/database is unavailable.*retry/), code: 'server_busy' });
  });

  it('a bug is still a 500 with a reference, and not taken for an outage', async () => {
    const bug = new TypeError("Cannot read properties of undefined (reading 'id')");
    expect(isStoreUnavailable(bug)).toBe(false);
    const res = await appThrowing(bug).request('/');
    expect(res.status).toBe(500);
    expect(await res.json()).toEqual({ error: 'Internal error (reference call-1)', code: 'internal' });
  });
});
