import { randomBytes } from 'node:crypto';
import pg from 'pg';

/** The machine's PostgreSQL (CI and dev have it on 127.0.0.1:5432 with trust auth). */
export const PG_URL = process.env.REELAY_TEST_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/test';

/** A fresh schema name per test file, so parallel runs never see each other's rows. */
export function uniqueSchema(): string {
  return `reelay_t_${process.pid}_${randomBytes(4).toString('hex')}`;
}

export async function dropSchema(schema: string): Promise<void> {
  const client = new pg.Client({ connectionString: PG_URL });
  await client.connect();
  try {
    await client.query(`drop schema if exists "${schema}" cascade`);
  } finally {
    await client.end();
  }
}
