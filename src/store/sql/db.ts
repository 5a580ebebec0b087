import { sql, type Kysely, type Transaction } from 'kysely';
import type { Database } from '../schema.js';

export type Db = Kysely<Database>;
export type Tx = Transaction<Database>;
export type Dialect = 'sqlite' | 'postgres';

/**
 * Locks an account row for the rest of the transaction. PostgreSQL needs the row lock to keep two
 * submits from both spending the same credits; SQLite transactions already hold the single
 * writer lock from their first statement (BEGIN IMMEDIATE, see sqlite/open-sqlite.ts).
 */
export async function lockAccount(tx: Tx, dialect: Dialect, accountId: string): Promise<void> {
  if (dialect === 'postgres') await sql`select id from accounts where id = ${accountId} for update`.execute(tx);
}

/** Keyset pagination cursor: the sort key and id of the last row of the previous page. */
export function encodeCursor(sortKey: number, id: string): string {
  return Buffer.from(JSON.stringify([sortKey, id])).toString('base64url');
}

export function decodeCursor(cursor: string | undefined): [number, string] | undefined {
  if (!cursor) return undefined;
  try {
    const value = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8')) as unknown;
    if (Array.isArray(value) && typeof value[0] === 'number' && typeof value[1] === 'string') return [value[0], value[1]];
  } catch {
    // fall through: a bad cursor is the caller's 400
  }
  throw new InvalidCursorError();
}

export class InvalidCursorError extends Error {
  constructor() {
    super('the pagination cursor is not one this server issued');
  }
}
