/**
 * One render of the motion bench, run in its own process so the parent can sample this
 * process tree's memory. Prints {"ms": wall time, "cpuMs": CPU time of the render} as JSON.
 * Usage: motion-case.ts reelay|ffmpeg IMAGE_OR_RAW OUT DURATION ASPECT [ffmpeg args as JSON]
 */
import { spawn } from 'node:child_process';
import { mkdtemp, readFile, rename, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { ffmpegPath } from '../src/media/binaries.js';
import { silentLogger } from '../src/logger.js';

// The compiled engine, as `npm start` runs it (the warp worker would otherwise load through tsx).
const compiled = fileURLToPath(new URL('../dist/src/engines/motion/index.js', import.meta.url));
const { createMotionEngine } = (await import(pathToFileURL(compiled).href)) as typeof import('../src/engines/motion/index.js');

const [kind, input, out, duration, aspect, argsJson] = process.argv.slice(2);

async function reelay(): Promise<number> {
  const bytes = await readFile(input!);
  const workDir = await mkdtemp(join(tmpdir(), 'reelay-bench-'));
  const engine = createMotionEngine({ ffmpegPath: ffmpegPath() });
  const started = performance.now();
  const result = await engine.run(
    {
      requestId: 'bench',
      model: 'veo-2-image2video',
      params: { prompt: 'slow zoom in', duration: Number(duration) as 5, aspect_ratio: aspect as '16:9', seed: 1 },
      image: { bytes, mime: 'image/jpeg' },
      workDir,
    },
    { signal: new AbortController().signal, progress: () => {}, log: silentLogger() },
  );
  const ms = performance.now() - started;
  await rename(result.videoPath, out!);
  await rm(workDir, { recursive: true, force: true });
  return ms;
}

async function ffmpeg(): Promise<number> {
  const args = JSON.parse(argsJson!) as string[];
  const started = performance.now();
  await new Promise<void>((resolve, reject) => {
    const child = spawn(ffmpegPath(), args, { stdio: ['ignore', 'ignore', 'inherit'] });
    child.on('error', reject);
    child.on('exit', (code) => (code === 0 ? resolve() : reject(new Error(`ffmpeg exited ${code}`))));
  });
  return performance.now() - started;
}

/** CPU time of this process, its threads and its reaped children (ffmpeg), from /proc, in ms. */
async function cpuMs(): Promise<number> {
  const stat = await readFile('/proc/self/stat', 'utf8');
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  // utime, stime, cutime, cstime: fields 14-17 of proc(5), in clock ticks (100 per second on Linux).
  return fields.slice(11, 15).reduce((sum, f) => sum + Number(f), 0) * 10;
}

const cpuBefore = await cpuMs();
const ms = kind === 'reelay' ? await reelay() : await ffmpeg();
process.stdout.write(JSON.stringify({ ms, cpuMs: (await cpuMs()) - cpuBefore }));
