/**
 * Where the motion engine's time goes, stage by stage, for the bench's 5 s 16:9 case:
 * `npm run build && node --conditions=@reelay/source --import tsx bench/motion-profile.ts`.
 * CPU times (this process, all its threads) are printed beside wall times because they barely
 * move with the machine's load, while wall times on a shared machine do.
 */
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { chooseMove, planCamera } from '../src/engines/motion/index.js';
import { workingFraming } from '../src/engines/motion/framing.js';
import { decodeWorking, sourceSize } from '../src/engines/motion/source.js';
import { rgbToPackedYuv } from '../src/engines/motion/yuv.js';
import { createFrameWarper } from '../src/engines/motion/resample.js';
import { createSimdFrameWarper } from '../src/engines/motion/simd-warper.js';
import { ffmpegPath } from '../src/media/binaries.js';
import type { Logger } from '../src/logger.js';
import { testImage } from './motion.js';

const cpuMs = (): number => {
  const c = process.cpuUsage();
  return (c.user + c.system) / 1000;
};

/** Runs `work`, printing its wall and CPU time; `per` divides both (per frame). */
async function stage<T>(label: string, work: () => T | Promise<T>, per = 1): Promise<T> {
  const [c, t] = [cpuMs(), performance.now()];
  const result = await work();
  const unit = per > 1 ? ' per frame' : '';
  console.log(
    `  ${label.padEnd(44)} wall ${((performance.now() - t) / per).toFixed(2).padStart(7)} ms  CPU ${((cpuMs() - c) / per).toFixed(2).padStart(7)} ms${unit}`,
  );
  return result;
}

const dir = await mkdtemp(join(tmpdir(), 'reelay-profile-'));
try {
  const path = join(dir, 'photo.jpg');
  await testImage(path);
  const bytes = await readFile(path);
  const output = { width: 1280, height: 720 };
  console.log(`Motion stages, 5 s 16:9 from a 2400×1600 JPEG (load average ${loadavg()[0]!.toFixed(2)})`);
  const working = await stage('size + camera plan', async () => {
    const source = await sourceSize(bytes);
    const plan = planCamera({ move: chooseMove('slow zoom in', 1), source, output, durationSeconds: 5 });
    return workingFraming(plan, source, output);
  });
  const rgb = await stage('decode + resize to the working image', () => decodeWorking(bytes, working));
  const simd = await stage('RGB → YUV + SIMD warper setup', () => createSimdFrameWarper(rgb.data, rgb.width, rgb.height, 1280, 720)!);
  const windows = working.windows;
  await stage('SIMD warp, first frame (compiles)', () => simd(windows[0]!));
  await stage('SIMD warp, all frames', () => windows.forEach((w) => simd(w)), windows.length);
  const ts = createFrameWarper(rgbToPackedYuv(rgb.data, rgb.width, rgb.height), 1280, 720);
  ts(windows[0]!);
  await stage('TypeScript warp, all frames', () => windows.forEach((w) => ts(w)), windows.length);

  // The whole render as the server runs it (compiled, warp worker), timed at the engine's own marks.
  console.log('  end to end (compiled engine), cumulative from the start, this process only (ffmpeg excluded):');
  const compiled = fileURLToPath(new URL('../dist/src/engines/motion/index.js', import.meta.url));
  const { createMotionEngine } = (await import(pathToFileURL(compiled).href)) as typeof import('../src/engines/motion/index.js');
  const [c0, t0] = [cpuMs(), performance.now()];
  const mark = (what: string): void =>
    console.log(`    ${what.padEnd(42)} wall ${(performance.now() - t0).toFixed(0).padStart(6)} ms  CPU ${(cpuMs() - c0).toFixed(0).padStart(6)} ms`);
  // Only `debug` is called by the engine; the rest of the interface is never reached here.
  const log = { debug: (_: unknown, message: string) => mark(message) } as unknown as Logger;
  const engine = createMotionEngine({ ffmpegPath: ffmpegPath() });
  const params = { prompt: 'slow zoom in', duration: 5 as const, aspect_ratio: '16:9' as const, seed: 1 };
  const job = { requestId: 'profile', model: 'veo-2-image2video', params, image: { bytes, mime: 'image/jpeg' }, workDir: dir };
  await engine.run(job, { signal: new AbortController().signal, progress: () => {}, log });
} finally {
  await rm(dir, { recursive: true, force: true });
}
