import { resolve } from 'node:path';
import type { Config } from '../config.js';
import { backupDataDir, restoreDataDir } from '../ops/backup.js';
import { CommandError } from './command-error.js';
import { userPath } from './user-path.js';

function embeddedOnly(config: Config, command: string): void {
  if (config.databaseUrl || config.s3) {
    throw new CommandError(
      `"reelay ${command}" covers the embedded store (SQLite + local disk); this installation uses ${config.databaseUrl ? 'PostgreSQL' : 'S3'}`,
      "Back up PostgreSQL with pg_dump (or your provider's snapshots) and the bucket with its versioning or replication.",
    );
  }
}

const failed = (what: string, err: unknown, hint: string): CommandError =>
  new CommandError(`${what}: ${err instanceof Error ? err.message : String(err)}`, hint);

/** `reelay backup FILE`: an online, consistent copy of the data dir's database and blobs. */
export async function backupCommand(config: Config, file: string, opts: { json: boolean }, env: NodeJS.ProcessEnv): Promise<void> {
  embeddedOnly(config, 'backup');
  const target = userPath(file, env);
  let summary;
  try {
    summary = await backupDataDir(resolve(config.dataDir), target);
  } catch (err) {
    throw failed('backup failed', err, 'Check that REELAY_DATA_DIR points at the data dir and that the target directory exists and is writable.');
  }
  process.stdout.write(
    opts.json
      ? `${JSON.stringify(summary)}\n`
      : `Backed up ${resolve(config.dataDir)} to ${summary.file} (${summary.blobs} files, ${(summary.bytes / 1e6).toFixed(1)} MB, ${summary.tookMs} ms)\n`,
  );
}

/** `reelay restore FILE`: puts a backup into the (stopped) server's data dir. */
export async function restoreCommand(config: Config, file: string, opts: { json: boolean; force: boolean }, env: NodeJS.ProcessEnv): Promise<void> {
  embeddedOnly(config, 'restore');
  let summary;
  try {
    summary = await restoreDataDir(userPath(file, env), resolve(config.dataDir), opts.force);
  } catch (err) {
    throw failed(
      'restore failed',
      err,
      'Stop the server, point REELAY_DATA_DIR at an empty directory (or pass --force), and give a file made by "reelay backup".',
    );
  }
  process.stdout.write(
    opts.json
      ? `${JSON.stringify(summary)}\n`
      : `Restored the backup of ${summary.createdAt} into ${summary.dataDir} (${summary.blobs} files). Start the server as usual.\n`,
  );
}
