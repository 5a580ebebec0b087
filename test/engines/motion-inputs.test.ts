import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import sharp from 'sharp';
import { afterAll, describe, expect, it } from 'vitest';
import { chooseMove, planCamera, type Size, type Window } from '../../src/engines/motion/index.js';
import { probeVideo } from '../../src/media/probe.js';
import { ffprobePath } from '../../src/media/binaries.js';
import { QUADRANTS, halfTransparentPng, largeJpegWithBox, quadrantsJpeg, texturedImage } from '../helpers/images.js';
import { decodeFrames, lumaOf, psnr, regionMean, renderMotion, tempDirs } from '../helpers/frames.js';

const W = 1280;
const H = 720;
const dirs = tempDirs();
afterAll(() => dirs.cleanup());

/** The luma of `image` framed by `window` (rounded to whole pixels), computed by sharp alone. */
async function framedBySharp(image: Buffer, window: Window): Promise<Uint8Array> {
  const left = Math.round(window.x);
  const top = Math.round(window.y);
  const rgb = await sharp(image)
    .extract({ left, top, width: Math.round(window.x + window.width) - left, height: Math.round(window.y + window.height) - top })
    .resize(W, H, { fit: 'fill', kernel: 'lanczos3' })
    .removeAlpha()
    .raw()
    .toBuffer();
  return lumaOf(rgb);
}

async function firstFrame(videoPath: string, pixFmt: 'gray' | 'rgb24' = 'gray'): Promise<Uint8Array> {
  const [frame] = await decodeFrames(videoPath, W, H, { pixFmt, frames: 1 });
  if (!frame) throw new Error('no frame decoded');
  return frame;
}

function startWindow(prompt: string, seed: number, source: Size): { start: Window; cover: Window } {
  return planCamera({ move: chooseMove(prompt, seed), source, output: { width: W, height: H }, durationSeconds: 5 });
}

describe('first frame', () => {
  it.each([
    ['zoom in', 'the cover framing'],
    ['zoom out', 'a zoomed-in window'],
  ])('"%s" starts with the input as framed by its start window (%s)', async (prompt) => {
    const source = { width: 1600, height: 1000 };
    const image = await texturedImage(source.width, source.height, { blur: 2.5 });
    const render = await renderMotion(image, { prompt, seed: 4 }, await dirs.make());
    const { start, cover } = startWindow(prompt, 4, source);
    const frame = await firstFrame(render.videoPath);
    const matching = psnr(frame, await framedBySharp(image, start));
    // Measured: 46 dB (the rest is x264 and filter differences), 35-37 dB for the tighter window.
    expect(matching).toBeGreaterThan(40);
    // The measure tells framings apart: a window 3% tighter scores far lower.
    const tighter = { x: start.x + start.width * 0.015, y: start.y + start.height * 0.015, width: start.width * 0.97, height: start.height * 0.97 };
    const other = psnr(frame, await framedBySharp(image, tighter));
    expect(other).toBeLessThan(matching - 6);
    if (prompt === 'zoom in') expect(start).toEqual(cover);
    else expect(start.width).toBeLessThan(cover.width * 0.9);
  });
});

describe('inputs of every kind', () => {
  it('renders a tiny 64×64 image, covering the frame', async () => {
    const image = await texturedImage(64, 64, { blur: 1.5 });
    const render = await renderMotion(image, { prompt: 'zoom in' }, await dirs.make());
    const probe = await probeVideo(render.videoPath);
    expect([probe.width, probe.height, probe.frames]).toEqual([W, H, 120]);
    const { start } = startWindow('zoom in', 1, { width: 64, height: 64 });
    const tiny = psnr(await firstFrame(render.videoPath), await framedBySharp(image, start));
    expect(tiny).toBeGreaterThan(35);
  });

  it('renders an 8000×6000 image, framed where the cover framing puts it, with flat memory', async () => {
    const box = { left: 3000, top: 2250, width: 2000, height: 1500 };
    const image = await largeJpegWithBox(8000, 6000, box);
    const before = process.memoryUsage().rss;
    let peak = before;
    const sampler = setInterval(() => (peak = Math.max(peak, process.memoryUsage().rss)), 10);
    const render = await renderMotion(image, { prompt: 'zoom in' }, await dirs.make()).finally(() => clearInterval(sampler));
    // 48 MP of RGB would be 144 MB; the engine never holds the full-size image (measured: 69 MB).
    expect(peak - before).toBeLessThan(120 * 1024 * 1024);
    const frame = await firstFrame(render.videoPath);
    // Cover framing of 8000×6000 in 16:9: scale 0.16, rows from y = 750. The box lands at
    // x 480..800, y 240..480.
    expect(regionMean(frame, W, { x: 490, y: 250, width: 300, height: 220 })).toBeGreaterThan(240);
    expect(regionMean(frame, W, { x: 100, y: 100, width: 300, height: 500 })).toBeLessThan(50);
    expect(regionMean(frame, W, { x: 880, y: 100, width: 300, height: 500 })).toBeLessThan(50);
    expect(regionMean(frame, W, { x: 490, y: 500, width: 300, height: 200 })).toBeLessThan(50);
  });

  it('keeps colours: BT.709 samples, tagged BT.709 limited range', async () => {
    const rgb = { r: 200, g: 30, b: 90 };
    const image = await sharp({ create: { width: 320, height: 180, channels: 3, background: rgb } })
      .png()
      .toBuffer();
    const render = await renderMotion(image, { prompt: 'zoom in' }, await dirs.make());
    const [yuv] = await decodeFrames(render.videoPath, W, H, { pixFmt: 'yuv420p', frames: 1 });
    const [y, u, v] = [yuv![(H / 2) * W + W / 2]!, yuv![W * H + (H / 4) * (W / 2) + W / 4]!, yuv![W * H * 1.25 + (H / 4) * (W / 2) + W / 4]!];
    const luma = 1.164 * (y - 16);
    const back = [luma + 1.793 * (v - 128), luma - 0.213 * (u - 128) - 0.533 * (v - 128), luma + 2.112 * (u - 128)];
    [rgb.r, rgb.g, rgb.b].forEach((want, c) => expect(Math.abs(back[c]! - want)).toBeLessThan(3));
    const { stdout } = await promisify(execFile)(ffprobePath(), [
      '-v',
      'error',
      '-show_entries',
      'stream=color_space,color_primaries,color_transfer,color_range',
      '-of',
      'json',
      render.videoPath,
    ]);
    expect(JSON.parse(stdout).streams[0]).toEqual({ color_range: 'tv', color_space: 'bt709', color_transfer: 'bt709', color_primaries: 'bt709' });
  });

  it('shows mid-grey, not the hidden colour, where a PNG is transparent', async () => {
    const render = await renderMotion(await halfTransparentPng(640, 360), { prompt: 'zoom in' }, await dirs.make());
    const frame = await firstFrame(render.videoPath, 'rgb24');
    const left = { x: 40, y: 40, width: 560, height: 640 };
    const right = { x: 680, y: 40, width: 560, height: 640 };
    for (let c = 0; c < 3; c++) {
      expect(regionMean(frame, W, left, { index: c, of: 3 })).toBeGreaterThan(122);
      expect(regionMean(frame, W, left, { index: c, of: 3 })).toBeLessThan(134);
    }
    expect(regionMean(frame, W, right, { index: 0, of: 3 })).toBeGreaterThan(230);
    expect(regionMean(frame, W, right, { index: 1, of: 3 })).toBeLessThan(30);
  });

  it('honours EXIF orientation 6 (stored sideways, shown upright)', async () => {
    const image = await quadrantsJpeg(640, 360, 6);
    expect((await sharp(image).metadata()).width).toBe(360);
    const render = await renderMotion(image, { prompt: 'zoom in' }, await dirs.make());
    const frame = await firstFrame(render.videoPath);
    const quadrant = (x: number, y: number): number => regionMean(frame, W, { x: x + 60, y: y + 60, width: 520, height: 240 });
    expect(quadrant(0, 0)).toBeCloseTo(QUADRANTS.topLeft, -1);
    expect(quadrant(640, 0)).toBeCloseTo(QUADRANTS.topRight, -1);
    expect(quadrant(0, 360)).toBeCloseTo(QUADRANTS.bottomLeft, -1);
    expect(quadrant(640, 360)).toBeCloseTo(QUADRANTS.bottomRight, -1);
  });
});
