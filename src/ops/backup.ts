import { mkdir, mkdtemp, readdir, readFile, rename, rm, stat } from 'node:fs/promises';
import { basename, dirname, join, relative, sep } from 'node:path';
import Database from 'better-sqlite3';
import { extractEntry, listTar, TarWriter } from './tar.js';

/** The first entry of every backup: what it is, so restore can refuse anything else. */
const MANIFEST = 'reelay-backup.json';
const DATABASE = 'reelay.db';

export interface BackupSummary {
  file: string;
  bytes: number;
  blobs: number;
  tookMs: number;
}

async function* walk(dir: string): AsyncGenerator<string> {
  let entries;
  try {
    entries = await readdir(dir, { withFileTypes: true });
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return;
    throw err;
  }
  for (const entry of entries) {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) yield* walk(path);
    else if (entry.isFile()) yield path;
  }
}

/**
 * Backs up the embedded store while it serves: first a consistent snapshot of the SQLite database
 * (SQLite's online backup API, all pages in one step so concurrent writes cannot restart it), then
 * the blob directory. That order is what makes it whole: a blob is written before the row that
 * names it, and deleted only after its request expired, so every request the snapshot shows as
 * finished (and not yet expired) has its files in the copy. Blobs written after the snapshot are
 * copied too and are harmless; in-flight temp files are skipped.
 */
export async function backupDataDir(dataDir: string, file: string): Promise<BackupSummary> {
  const started = Date.now();
  const dbPath = join(dataDir, DATABASE);
  await stat(dbPath).catch(() => {
    throw new Error(`no database at ${dbPath}: is REELAY_DATA_DIR right?`);
  });
  const scratch = await mkdtemp(join(dirname(file), `.${basename(file)}.`));
  const partial = `${file}.partial`;
  try {
    const snapshot = join(scratch, DATABASE);
    const db = new Database(dbPath, { readonly: true, fileMustExist: true });
    try {
      await db.backup(snapshot, { progress: () => 0x7fffffff });
    } finally {
      db.close();
    }
    const tar = new TarWriter(partial);
    await tar.addBytes(MANIFEST, Buffer.from(JSON.stringify({ format: 'reelay-backup', version: 1, createdAt: new Date().toISOString() })));
    await tar.addFile(DATABASE, snapshot, (await stat(snapshot)).size, Date.now());
    let blobs = 0;
    for await (const path of walk(join(dataDir, 'blobs'))) {
      if (path.endsWith('.tmp')) continue; // a write in progress; its final name is copied if it lands in time
      let info;
      try {
        info = await stat(path);
      } catch {
        continue; // deleted by retention meanwhile
      }
      await tar.addFile(relative(dataDir, path).split(sep).join('/'), path, info.size, info.mtimeMs);
      blobs++;
    }
    await tar.finish();
    await rename(partial, file);
    return { file, bytes: (await stat(file)).size, blobs, tookMs: Date.now() - started };
  } catch (err) {
    await rm(partial, { force: true });
    throw err;
  } finally {
    await rm(scratch, { recursive: true, force: true });
  }
}

export interface RestoreSummary {
  dataDir: string;
  blobs: number;
  createdAt: string;
}

/**
 * Restores a backup into `dataDir`, which must hold no database unless `force` (then its database
 * and blobs are replaced). The server must be stopped: a running one would keep the old file open.
 */
export async function restoreDataDir(file: string, dataDir: string, force: boolean): Promise<RestoreSummary> {
  const entries = await listTar(file);
  const manifest = entries[0];
  if (manifest?.name !== MANIFEST || !entries.some((e) => e.name === DATABASE))
    throw new Error(`${file} is not a Reelay backup (no ${MANIFEST} and ${DATABASE})`);
  const existing = await readdir(dataDir).catch(() => [] as string[]);
  if (existing.some((name) => name === DATABASE || name === 'blobs') && !force) {
    throw new Error(`${dataDir} already holds a Reelay database; restore into an empty data dir, or pass --force to replace it`);
  }
  await mkdir(dataDir, { recursive: true });
  const staging = await mkdtemp(join(dataDir, '.restore-'));
  try {
    for (const entry of entries) await extractEntry(file, entry, staging);
    const meta = JSON.parse(await readFile(join(staging, MANIFEST), 'utf8')) as { createdAt: string };
    // Check the copy before it replaces anything.
    const db = new Database(join(staging, DATABASE), { readonly: true });
    try {
      const check = db.pragma('integrity_check', { simple: true });
      if (check !== 'ok') throw new Error(`the database in ${file} is damaged: ${String(check)}`);
    } finally {
      db.close();
    }
    for (const stale of [DATABASE, `${DATABASE}-wal`, `${DATABASE}-shm`, 'blobs']) await rm(join(dataDir, stale), { recursive: true, force: true });
    await rename(join(staging, DATABASE), join(dataDir, DATABASE));
    await rename(join(staging, 'blobs'), join(dataDir, 'blobs')).catch((err: NodeJS.ErrnoException) => {
      if (err.code !== 'ENOENT') throw err;
    });
    return { dataDir, blobs: entries.filter((e) => e.name.startsWith('blobs/')).length, createdAt: meta.createdAt };
  } finally {
    await rm(staging, { recursive: true, force: true });
  }
}
