import { execFile } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { mkdir, rm, stat, statfs, writeFile } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { promisify } from 'node:util';
import { ffmpegPath, ffprobePath } from '../../media/binaries.js';
import { fail, messageOf, ok, warn, type Check } from './check.js';

const run = promisify(execFile);
const GB = 1024 ** 3;

/** ffmpeg and ffprobe exist and run (the motion engine and output checks need both). */
export async function checkBinaries(configured: string | undefined): Promise<Check[]> {
  const checks: Check[] = [];
  for (const [name, locate] of [
    ['ffmpeg', () => ffmpegPath(configured)],
    ['ffprobe', () => ffprobePath()],
  ] as const) {
    try {
      const path = locate();
      const { stdout } = await run(path, ['-version'], { timeout: 15_000 });
      checks.push(ok(name, `${(stdout.split('\n')[0] ?? '').replace(/\s+Copyright.*/, '')} (${path})`));
    } catch (err) {
      checks.push(
        fail(
          name,
          messageOf(err),
          name === 'ffmpeg' && configured
            ? 'REELAY_FFMPEG must name a working ffmpeg binary; unset it to use the one npm installed'
            : `reinstall with "npm ci" (the binary comes from @${name}-installer/${name}), or point REELAY_FFMPEG at a system ffmpeg`,
        ),
      );
    }
  }
  return checks;
}

/** The data dir exists (or can be made), is a writable directory, and has room for videos. */
export async function checkDataDir(dataDir: string): Promise<Check[]> {
  const dir = resolve(dataDir);
  const name = 'data dir';
  try {
    await mkdir(dir, { recursive: true });
    if (!(await stat(dir)).isDirectory()) return [fail(name, `${dir} is not a directory`, 'set REELAY_DATA_DIR to a directory')];
    const probe = join(dir, `.doctor-${randomUUID()}`);
    await writeFile(probe, 'ok');
    await rm(probe);
  } catch (err) {
    return [fail(name, `${dir}: ${messageOf(err)}`, `make ${dir} a directory the server's user can write (or set REELAY_DATA_DIR)`)];
  }
  const fs = await statfs(dir);
  const free = fs.bavail * fs.bsize;
  const detail = `${dir}, writable, ${(free / GB).toFixed(1)} GB free`;
  if (free < 0.1 * GB) return [fail(name, detail, 'free disk space: renders and videos need room (each video is a few MB, renders use scratch space)')];
  if (free < 1 * GB) return [warn(name, detail, 'less than 1 GB free: lower REELAY_RETENTION or free disk space')];
  return [ok(name, detail)];
}
