import BetterSqlite3 from 'better-sqlite3';
import type { Store } from '../store.js';

/**
 * Rate-limit counters of the SQLite deployment, in a file of their own with synchronous=OFF.
 * Every status poll counts a hit; with the main database's synchronous=FULL that would be an
 * fsync per poll. Losing a few counts on power loss is harmless; the counters still live on
 * disk, shared by every process on the data dir, not in process memory.
 */
export function openRateCounters(file: string): Pick<Store, 'countHit' | 'deleteRateWindowsBefore'> & { close(): void } {
  const db = new BetterSqlite3(file);
  db.pragma('journal_mode = WAL');
  db.pragma('synchronous = OFF');
  db.pragma('busy_timeout = 10000');
  db.exec(
    'create table if not exists rate_counters (bucket text not null, window_start integer not null, count integer not null, primary key (bucket, window_start))',
  );
  const hit = db.prepare<[string, number, number], { count: number }>(
    'insert into rate_counters (bucket, window_start, count) values (?, ?, ?) on conflict (bucket, window_start) do update set count = count + excluded.count returning count',
  );
  const prune = db.prepare<[number]>('delete from rate_counters where window_start < ?');
  return {
    async countHit(bucket, windowStart, amount = 1) {
      return hit.get(bucket, windowStart, amount)!.count;
    },
    async deleteRateWindowsBefore(windowStart) {
      prune.run(windowStart);
    },
    close: () => db.close(),
  };
}
