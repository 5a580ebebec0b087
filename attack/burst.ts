import { join } from 'node:path';
import Database from 'better-sqlite3';
import { MODEL, ADMIN_KEY, startChild, type Target } from './target.js';
import type { Tally } from './stats.js';

/** Submits one request; the id if the server said 200 (accepted and durable), else null. */
async function submitOne(url: string, image: string, n: number): Promise<string | null> {
  try {
    const res = await fetch(`${url}/v2/${MODEL}`, {
      method: 'POST',
      headers: { 'x-api-key': ADMIN_KEY, 'content-type': 'application/json' },
      body: JSON.stringify({ image, seed: n }),
    });
    if (res.status !== 200) return null;
    return String(((await res.json()) as { request_id: string }).request_id);
  } catch {
    // Killed mid-answer: not accepted as far as the client knows, so not counted as lost.
    return null;
  }
}

interface Row {
  id: string;
  status: string;
}

/**
 * N submits against a child, SIGKILL once half are sent (others still in flight), restart on the
 * same data dir, then every request the client saw accepted must finish exactly once: present,
 * COMPLETED or FAILED, charged once, refunded at most once and only if FAILED.
 */
export async function attackBurst(dir: string, config: Record<string, unknown>, png: Buffer, tally: Tally, count: number): Promise<void> {
  const image = `data:image/png;base64,${png.toString('base64')}`;
  const burstConfig = { ...config, dataDir: join(dir, 'burst-data') };
  let server: Target = await startChild(dir, burstConfig);
  const accepted: string[] = [];
  const killAt = Math.floor(count / 2);
  let sent = 0;
  const lane = async (url: string, until: number): Promise<void> => {
    while (sent < until) {
      const id = await submitOne(url, image, sent++);
      tally.tried.set('burst submit', (tally.tried.get('burst submit') ?? 0) + 1);
      if (id) accepted.push(id);
    }
  };
  const lanes = Array.from({ length: 16 }, () => lane(server.url, count));
  while (sent < killAt) await new Promise((r) => setTimeout(r, 5));
  server.child!.proc.kill('SIGKILL');
  await Promise.all(lanes);
  await server.child!.exited;
  server = await startChild(dir, burstConfig);
  try {
    const more = sent + Math.ceil(count / 2);
    await Promise.all(Array.from({ length: 16 }, () => lane(server.url, more)));
    const db = new Database(join(dir, 'burst-data', 'reelay.db'), { readonly: true });
    try {
      const deadline = Date.now() + 120_000;
      const rows = (): Map<string, Row> => new Map((db.prepare('select id, status from requests').all() as Row[]).map((r) => [r.id, r]));
      let found = rows();
      while ([...found.values()].some((r) => r.status !== 'COMPLETED' && r.status !== 'FAILED') && Date.now() < deadline) {
        await new Promise((r) => setTimeout(r, 200));
        found = rows();
      }
      const ledger = db.prepare('select request_id, kind, count(*) n from ledger where request_id is not null group by request_id, kind').all() as Array<{
        request_id: string;
        kind: string;
        n: number;
      }>;
      const entries = new Map<string, Record<string, number>>();
      for (const e of ledger) entries.set(e.request_id, { ...entries.get(e.request_id), [e.kind]: e.n });
      for (const id of accepted) {
        const row = found.get(id);
        const money = entries.get(id) ?? {};
        if (!row || (row.status !== 'COMPLETED' && row.status !== 'FAILED')) {
          tally.lost++;
          tally.add('lost', 'burst submit', `accepted ${id}, never finished`, row?.status ?? 'missing from requests');
        } else if ((money.charge ?? 0) !== 1 || (money.refund ?? 0) > 1 || (row.status === 'COMPLETED' && money.refund)) {
          tally.duplicated++;
          tally.add('duplicated', 'burst submit', `request ${id} ended ${row.status}`, `ledger ${JSON.stringify(money)}`);
        }
      }
      tally.tried.set('burst accepted', accepted.length);
    } finally {
      db.close();
    }
  } finally {
    await server.stop();
  }
}
