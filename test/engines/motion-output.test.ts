import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { expectSpecVideo } from '../helpers/video.js';
import { probeVideo } from '../../src/media/probe.js';
import { createMotionEngine } from '../../src/engines/motion/index.js';
import { ffmpegPath } from '../../src/media/binaries.js';
import { texturedImage } from '../helpers/images.js';
import { renderMotion, tempDirs, topLevelBoxes, type Render } from '../helpers/frames.js';

const dirs = tempDirs();
let image: Buffer;
let wide: Render;

beforeAll(async () => {
  image = await texturedImage(1600, 1000, { format: 'jpeg' });
  wide = await renderMotion(image, { aspect_ratio: '16:9', duration: 5, seed: 11 }, await dirs.make());
});
afterAll(() => dirs.cleanup());

describe('motion engine output (SPEC 2)', () => {
  it('is named motion', () => {
    expect(createMotionEngine({ ffmpegPath: ffmpegPath() }).name).toBe('motion');
  });

  it.each([
    ['16:9', 5, { width: 1280, height: 720 }],
    ['9:16', 7, { width: 720, height: 1280 }],
  ] as const)('%s × %i s: H.264 High yuv420p, exact size, 24 fps, exact frames, no audio, faststart', async (aspect, duration, size) => {
    const render = aspect === '16:9' ? wide : await renderMotion(image, { aspect_ratio: aspect, duration, seed: 5 }, await dirs.make());
    expect(path.basename(render.videoPath)).toBe('output.mp4');
    expect(render.contentType).toBe('video/mp4');
    const probe = await probeVideo(render.videoPath);
    expectSpecVideo(probe, size, duration);
    expect(probe.formatName).toContain('mp4');
    expect(probe.durationSeconds).toBeCloseTo(duration, 2);
    const boxes = await topLevelBoxes(render.videoPath);
    expect(boxes[0]).toBe('ftyp');
    expect(boxes).toContain('mdat');
    expect(boxes.indexOf('moov')).toBeGreaterThan(-1);
    expect(boxes.indexOf('moov')).toBeLessThan(boxes.indexOf('mdat'));
  });

  it('reports progress monotonically up to 100', () => {
    const p = wide.progress;
    expect(p.length).toBeGreaterThan(10);
    for (let i = 1; i < p.length; i++) expect(p[i]!).toBeGreaterThan(p[i - 1]!);
    expect(p[0]!).toBeLessThan(10);
    expect(p.at(-1)).toBe(100);
  });

  it('gives byte-identical files for the same image, params and seed, and different ones for another seed', async () => {
    const again = await renderMotion(image, { aspect_ratio: '16:9', duration: 5, seed: 11 }, await dirs.make());
    const other = await renderMotion(image, { aspect_ratio: '16:9', duration: 5, seed: 12 }, await dirs.make());
    const [a, b, c] = await Promise.all([wide, again, other].map((r) => readFile(r.videoPath)));
    expect(a!.length).toBeGreaterThan(10_000);
    expect(a!.equals(b!)).toBe(true);
    expect(a!.equals(c!)).toBe(false);
  });
});
