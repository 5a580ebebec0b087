import type { PostgresPool, PostgresPoolClient, PostgresQueryResult } from 'kysely';
import type pg from 'pg';

/** SQLSTATEs and driver messages that mean "this connection is dead", not "this statement is wrong". */
const DEAD_CONNECTION_CODES = new Set(['57P01', '57P02', '57P03', '08000', '08003', '08006', 'ECONNRESET', 'EPIPE']);

export function isDeadConnection(err: unknown): boolean {
  const e = err as { code?: string; message?: string };
  return (e.code !== undefined && DEAD_CONNECTION_CODES.has(e.code)) || /Connection terminated|connection is closed|not queryable/i.test(e.message ?? '');
}

/**
 * A pool for Kysely that survives connections the server has dropped (restart, failover,
 * pg_terminate_backend). A pooled connection can die while idle and be handed out before the
 * pool notices; if the FIRST statement of a checkout fails that way, nothing has run on it yet,
 * so it is safe to discard it and run that statement on a fresh connection. Any later failure is
 * reported as is: retrying mid-transaction could repeat committed work.
 */
export class ResilientPool implements PostgresPool {
  constructor(private readonly pool: pg.Pool) {}

  async connect(): Promise<PostgresPoolClient> {
    let client = await this.pool.connect();
    let used = false;
    const query = async <R>(sqlText: string, parameters: ReadonlyArray<unknown>): Promise<PostgresQueryResult<R>> => {
      try {
        const result = await client.query(sqlText, parameters as unknown[]);
        used = true;
        return result as unknown as PostgresQueryResult<R>;
      } catch (err) {
        if (used || !isDeadConnection(err)) throw err;
        used = true;
        client.release(true);
        client = await this.pool.connect();
        return (await client.query(sqlText, parameters as unknown[])) as unknown as PostgresQueryResult<R>;
      }
    };
    return {
      query: query as PostgresPoolClient['query'],
      release: (destroy?: boolean) => client.release(destroy),
    };
  }

  end(): Promise<void> {
    return this.pool.end();
  }
}
