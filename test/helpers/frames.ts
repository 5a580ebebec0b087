import { spawn } from 'node:child_process';
import { mkdtemp, open, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { VideoParams } from '../../src/core/types.js';
import type { EngineResult } from '../../src/engines/engine.js';
import { createMotionEngine } from '../../src/engines/motion/index.js';
import { ffmpegPath } from '../../src/media/binaries.js';
import { silentLogger } from '../../src/logger.js';
import { getCurrentTest } from 'vitest/suite';
import { tempDir } from './temp-dir.js';

/**
 * Rendering with the motion engine and looking at what came out: decoded frames (through the
 * same ffmpeg binary, over a pipe), PSNR, and the MP4's top-level box order.
 */

export interface Render extends EngineResult {
  progress: number[];
}

/**
 * Fresh temporary directories: one made inside a test is removed when that test finishes; one made
 * in beforeAll by `cleanup()` (call it in afterAll).
 */
export function tempDirs(): { make(): Promise<string>; cleanup(): Promise<void> } {
  const made: string[] = [];
  return {
    async make() {
      if (getCurrentTest()) return tempDir('reelay-motion-');
      const dir = await mkdtemp(path.join(tmpdir(), 'reelay-motion-'));
      made.push(dir);
      return dir;
    },
    async cleanup() {
      await Promise.all(made.map((d) => rm(d, { recursive: true, force: true })));
    },
  };
}

export async function renderMotion(
  image: Buffer,
  params: Partial<VideoParams>,
  workDir: string,
  opts: { signal?: AbortSignal; onProgress?: (p: number) => void; ffmpeg?: string } = {},
): Promise<Render> {
  const engine = createMotionEngine({ ffmpegPath: opts.ffmpeg ?? ffmpegPath() });
  const progress: number[] = [];
  const result = await engine.run(
    {
      requestId: 'test',
      model: 'veo-2-image2video',
      params: { prompt: '', duration: 5, aspect_ratio: '16:9', seed: 1, ...params },
      image: { bytes: image, mime: 'image/png' },
      workDir,
    },
    {
      signal: opts.signal ?? new AbortController().signal,
      progress: (p) => {
        progress.push(p);
        opts.onProgress?.(p);
      },
      log: silentLogger(),
    },
  );
  return { ...result, progress };
}

const BYTES_PER_PIXEL = { gray: 1, rgb24: 3, yuv420p: 1.5 } as const;

/**
 * Decodes frames to raw 8-bit planes: `gray` (full-range luma), packed `rgb24` (ffmpeg 4.1
 * converts with BT.601 whatever the stream says, so colours are off; use it for greys) or the
 * stored `yuv420p` samples.
 */
export async function decodeFrames(
  file: string,
  width: number,
  height: number,
  opts: { pixFmt?: keyof typeof BYTES_PER_PIXEL; frames?: number } = {},
): Promise<Uint8Array[]> {
  const pixFmt = opts.pixFmt ?? 'gray';
  const frameBytes = width * height * BYTES_PER_PIXEL[pixFmt];
  const args = ['-v', 'error', '-i', file];
  if (opts.frames) args.push('-frames:v', String(opts.frames));
  args.push('-f', 'rawvideo', '-pix_fmt', pixFmt, 'pipe:1');
  const child = spawn(ffmpegPath(), args, { stdio: ['ignore', 'pipe', 'pipe'] });
  const chunks: Buffer[] = [];
  let stderr = '';
  child.stdout.on('data', (c: Buffer) => chunks.push(c));
  child.stderr.on('data', (c: Buffer) => (stderr += c.toString()));
  const code = await new Promise<number | null>((resolve) => child.once('close', resolve));
  if (code !== 0) throw new Error(`ffmpeg decode failed (${code}): ${stderr}`);
  const all = Buffer.concat(chunks);
  const frames: Uint8Array[] = [];
  for (let at = 0; at + frameBytes <= all.length; at += frameBytes) frames.push(all.subarray(at, at + frameBytes));
  return frames;
}

/** Peak signal-to-noise ratio in dB of two equally sized 8-bit arrays. */
export function psnr(a: Uint8Array, b: Uint8Array): number {
  if (a.length !== b.length) throw new Error(`size mismatch ${a.length} vs ${b.length}`);
  let sum = 0;
  for (let i = 0; i < a.length; i++) sum += (a[i]! - b[i]!) ** 2;
  const mse = sum / a.length;
  return mse === 0 ? Infinity : 10 * Math.log10((255 * 255) / mse);
}

/** Full-range BT.709 luma of packed RGB, the way a decoder's `gray` output sees our frames. */
export function lumaOf(rgb: Uint8Array): Uint8Array {
  const out = new Uint8Array(rgb.length / 3);
  for (let i = 0; i < out.length; i++) {
    out[i] = Math.round(0.2126 * rgb[3 * i]! + 0.7152 * rgb[3 * i + 1]! + 0.0722 * rgb[3 * i + 2]!);
  }
  return out;
}

/** Mean of a rectangle of a one-channel (or, with `channel`, packed RGB) frame. */
export function regionMean(
  frame: Uint8Array,
  width: number,
  rect: { x: number; y: number; width: number; height: number },
  channel?: { index: number; of: number },
): number {
  const stride = channel?.of ?? 1;
  let sum = 0;
  for (let y = rect.y; y < rect.y + rect.height; y++) {
    for (let x = rect.x; x < rect.x + rect.width; x++) sum += frame[(y * width + x) * stride + (channel?.index ?? 0)]!;
  }
  return sum / (rect.width * rect.height);
}

/** The types of an MP4's top-level boxes, in file order (e.g. ftyp, moov, mdat). */
export async function topLevelBoxes(file: string): Promise<string[]> {
  const fh = await open(file, 'r');
  try {
    const { size } = await fh.stat();
    const header = Buffer.alloc(16);
    const types: string[] = [];
    let at = 0;
    while (at + 8 <= size) {
      await fh.read(header, 0, 16, at);
      let boxSize = header.readUInt32BE(0);
      types.push(header.toString('latin1', 4, 8));
      if (boxSize === 1) boxSize = Number(header.readBigUInt64BE(8));
      else if (boxSize === 0) boxSize = size - at;
      if (boxSize < 8) throw new Error(`bad box size ${boxSize} at ${at}`);
      at += boxSize;
    }
    return types;
  } finally {
    await fh.close();
  }
}
