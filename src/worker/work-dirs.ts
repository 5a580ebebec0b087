import { mkdir, mkdtemp, readdir, rm } from 'node:fs/promises';
import { hostname } from 'node:os';
import { join, resolve } from 'node:path';

/**
 * Scratch directories for attempts, under `<dataDir>/work/` rather than the system temp dir, so
 * they are on the operator's volume and found again after a crash. Names carry the host and pid
 * of the process that made them: `<host>_<pid>_<request id>-XXXXXX`. A process killed mid-render
 * leaves its directory behind; the next worker start on the same host removes every directory of
 * a process that no longer runs (and its own, from an earlier life under the same pid, which is
 * common in containers where the server is pid 1).
 */
export class WorkDirs {
  private readonly root: string;
  private readonly prefix = `${safe(hostname())}_${process.pid}_`;

  constructor(dataDir: string) {
    this.root = join(resolve(dataDir), 'work');
  }

  /** A fresh directory for one attempt of `requestId`. */
  async create(requestId: string): Promise<string> {
    await mkdir(this.root, { recursive: true });
    return mkdtemp(join(this.root, `${this.prefix}${safe(requestId)}-`));
  }

  /** Removes what dead processes on this host left behind; returns how many directories went. */
  async sweepStale(): Promise<number> {
    const host = `${safe(hostname())}_`;
    let removed = 0;
    for (const name of await readdir(this.root).catch(() => [] as string[])) {
      if (!name.startsWith(host)) continue; // another machine's, on a shared volume: not ours to judge
      const pid = Number(name.slice(host.length).split('_')[0]);
      if (!Number.isInteger(pid) || (pid !== process.pid && isAlive(pid))) continue;
      await rm(join(this.root, name), { recursive: true, force: true });
      removed++;
    }
    return removed;
  }
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    // EPERM: it exists but belongs to someone else.
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
}

function safe(part: string): string {
  return part.replace(/[^A-Za-z0-9.-]/g, '-');
}
