import { describe, expect, it } from 'vitest';
import { createFrameWarper, type Rect } from '../../src/engines/motion/resample.js';
import { createSimdFrameWarper } from '../../src/engines/motion/simd-warper.js';
import { warpKernelModule } from '../../src/engines/motion/warp-kernel.js';
import { rgbToPackedYuv } from '../../src/engines/motion/yuv.js';

/** A small deterministic generator, so a failure names a reproducible case. */
function rng(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (Math.imul(s, 1103515245) + 12345) >>> 0;
    return s / 2 ** 32;
  };
}

function randomRgb(width: number, height: number, next: () => number): Uint8Array {
  const out = new Uint8Array(width * height * 3);
  for (let i = 0; i < out.length; i++) out[i] = Math.floor(next() * 256);
  return out;
}

/** A window of the output's aspect at `step` source pixels per output pixel, anywhere inside the source. */
function randomWindow(next: () => number, sw: number, sh: number, ow: number, oh: number, step: number): Rect {
  const width = ow * step;
  const height = oh * step;
  return { x: next() * (sw - width), y: next() * (sh - height), width, height };
}

describe('WebAssembly SIMD warp kernel', () => {
  it('is available on this Node, so renders use it', () => {
    expect(warpKernelModule()).not.toBeNull();
  });

  // Output sizes include widths that are not multiples of 8 or 16 (the kernel's vector widths).
  it.each([
    { ow: 1280, oh: 720, seed: 1 },
    { ow: 720, oh: 1280, seed: 2 },
    { ow: 200, oh: 120, seed: 3 },
    { ow: 36, oh: 20, seed: 4 },
  ])('gives byte-identical frames to the TypeScript kernel on random images and windows ($ow×$oh)', ({ ow, oh, seed }) => {
    const next = rng(seed);
    const sw = 2 * Math.ceil((ow * 1.6) / 2) + 2;
    const sh = 4 * Math.ceil((oh * 1.6) / 4) + 4;
    const rgb = randomRgb(sw, sh, next);
    const reference = createFrameWarper(rgbToPackedYuv(rgb, sw, sh), ow, oh);
    const simd = createSimdFrameWarper(rgb, sw, sh, ow, oh);
    expect(simd).not.toBeNull();
    // Magnification (2 taps) through minification up to 1.5× (3 taps), the camera paths' range.
    for (const step of [0.5, 0.73, 0.999, 1, 1.001, 1.13, 1.37, 1.5]) {
      for (let k = 0; k < 3; k++) {
        const window = randomWindow(next, sw, sh, ow, oh, step);
        const expected = reference(window).slice();
        const actual = simd!(window);
        expect(actual.length).toBe(expected.length);
        let differing = 0;
        for (let i = 0; i < expected.length; i++) if (actual[i] !== expected[i]) differing++;
        expect({ step, window, differing }).toEqual({ step, window, differing: 0 });
      }
    }
  });

  it('falls back to the TypeScript kernel, same bytes, where a frame minifies beyond 1.5×', () => {
    const next = rng(5);
    const [ow, oh, sw, sh] = [64, 36, 240, 144];
    const rgb = randomRgb(sw, sh, next);
    const reference = createFrameWarper(rgbToPackedYuv(rgb, sw, sh), ow, oh);
    const simd = createSimdFrameWarper(rgb, sw, sh, ow, oh)!;
    for (const step of [1.8, 3.2, 1.2]) {
      const window = randomWindow(next, sw, sh, ow, oh, step);
      expect(Buffer.from(simd(window)).equals(Buffer.from(reference(window)))).toBe(true);
    }
  });
});
