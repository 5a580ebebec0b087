import { describe, expect, it } from 'vitest';
import { createFrameWarper, type Rect } from '../../src/engines/motion/resample.js';
import { rgbToPackedYuv, type PackedPlane, type PackedYuv } from '../../src/engines/motion/yuv.js';

function randomRgb(width: number, height: number, seed = 9): Uint8Array {
  const out = new Uint8Array(width * height * 3);
  let s = seed;
  for (let i = 0; i < out.length; i++) {
    s = (Math.imul(s, 1103515245) + 12345) >>> 0;
    out[i] = s >>> 24;
  }
  return out;
}

/** One plane of the packed layout, back as plain rows. */
function unpack(yuv: PackedYuv, plane: PackedPlane): Float64Array {
  const out = new Float64Array(plane.width * plane.height);
  for (let r = 0; r < plane.height; r++) {
    for (let x = 0; x < plane.width; x++) {
      const word = yuv.words[plane.offset + (r >> 1) * plane.width + x]!;
      out[r * plane.width + x] = (r & 1) === 1 ? word >>> 16 : word & 0xffff;
    }
  }
  return out;
}

/** The same tent filter in plain floating point, straight from its definition. */
function reference(src: Float64Array, sw: number, sh: number, win: Rect, ow: number, oh: number): Float64Array {
  const axis = (len: number, n: number, origin: number, extent: number): Array<Array<[number, number]>> => {
    const step = extent / n;
    const radius = Math.max(1, step);
    return Array.from({ length: n }, (_, j) => {
      const centre = origin + (j + 0.5) * step - 0.5;
      const taps: Array<[number, number]> = [];
      for (let i = Math.floor(centre - radius); i <= Math.ceil(centre + radius); i++) {
        const w = Math.max(0, 1 - Math.abs(i - centre) / radius);
        if (w > 0) taps.push([Math.min(Math.max(i, 0), len - 1), w]);
      }
      const sum = taps.reduce((a, [, w]) => a + w, 0);
      return taps.map(([i, w]) => [i, w / sum] as [number, number]);
    });
  };
  const h = axis(sw, ow, win.x, win.width);
  const v = axis(sh, oh, win.y, win.height);
  const out = new Float64Array(ow * oh);
  for (let y = 0; y < oh; y++)
    for (let x = 0; x < ow; x++) {
      let acc = 0;
      for (const [r, wr] of v[y]!) for (const [c, wc] of h[x]!) acc += src[r * sw + c]! * wr * wc;
      out[y * ow + x] = acc;
    }
  return out;
}

const OW = 160;
const OH = 96;

describe('createFrameWarper', () => {
  const sw = 240;
  const sh = 144;
  const yuv = rgbToPackedYuv(randomRgb(sw, sh), sw, sh);
  const luma = unpack(yuv, yuv.y);
  const warp = createFrameWarper(yuv, OW, OH);

  it('copies pixels exactly at scale 1 and whole-pixel offsets', () => {
    const frame = warp({ x: 10, y: 6, width: OW, height: OH });
    for (let y = 0; y < OH; y++) for (let x = 0; x < OW; x++) expect(frame[y * OW + x]).toBe(luma[(y + 6) * sw + x + 10]);
    const cb = unpack(yuv, yuv.u);
    for (let y = 0; y < OH / 2; y++) for (let x = 0; x < OW / 2; x++) expect(frame[OW * OH + y * (OW / 2) + x]).toBe(cb[(y + 3) * (sw / 2) + x + 5]);
  });

  it('averages neighbours at a half-pixel offset', () => {
    const frame = warp({ x: 20.5, y: 4, width: OW, height: OH });
    for (let y = 0; y < OH; y += 7)
      for (let x = 0; x < OW; x += 5) {
        const a = luma[(y + 4) * sw + x + 20]!;
        const b = luma[(y + 4) * sw + x + 21]!;
        expect(frame[y * OW + x]).toBe(Math.floor((a + b + 1) / 2));
      }
  });

  it('matches a floating-point reference for sub-pixel windows, zooms and edges', () => {
    const windows: Rect[] = [
      { x: 0.37, y: 0.81, width: OW * 1.0, height: OH * 1.0 },
      { x: 3.3, y: 2.9, width: OW * 1.23, height: OH * 1.23 },
      { x: 0, y: 0, width: OW * 1.5, height: OH * 1.5 },
      { x: sw - OW * 1.1, y: sh - OH * 1.1, width: OW * 1.1, height: OH * 1.1 },
      { x: 17.77, y: 5.05, width: OW * 0.8, height: OH * 0.8 },
      { x: 1.1, y: 0.2, width: OW * 1.45, height: OH * 1.45 },
    ];
    for (const win of windows) {
      const frame = warp(win);
      const want = reference(luma, sw, sh, win, OW, OH);
      let worst = 0;
      let sum = 0;
      for (let i = 0; i < want.length; i++) {
        const d = Math.abs(frame[i]! - want[i]!);
        worst = Math.max(worst, d);
        sum += d;
      }
      expect(worst, JSON.stringify(win)).toBeLessThanOrEqual(1.5);
      expect(sum / want.length, JSON.stringify(win)).toBeLessThan(0.5);
    }
  });

  it('keeps flat areas exactly flat', () => {
    const grey = new Uint8Array(sw * sh * 3).fill(77);
    const flat = createFrameWarper(rgbToPackedYuv(grey, sw, sh), OW, OH);
    const frame = flat({ x: 0.123, y: 7.77, width: OW * 1.37, height: OH * 1.37 });
    const y = frame[0]!;
    expect(frame.subarray(0, OW * OH).every((v) => v === y)).toBe(true);
    expect(frame.subarray(OW * OH).every((v) => v === 128)).toBe(true);
  });
});

describe('rgbToPackedYuv', () => {
  it('converts to BT.709 limited range', () => {
    const colours: Array<[number[], number[]]> = [
      [
        [255, 255, 255],
        [235, 128, 128],
      ],
      [
        [0, 0, 0],
        [16, 128, 128],
      ],
      [
        [128, 128, 128],
        [126, 128, 128],
      ],
      [
        [255, 0, 0],
        [63, 102, 240],
      ],
      [
        [0, 255, 0],
        [173, 42, 26],
      ],
      [
        [0, 0, 255],
        [32, 240, 118],
      ],
    ];
    for (const [rgb, [y, u, v]] of colours) {
      const img = new Uint8Array(4 * 4 * 3);
      for (let i = 0; i < 16; i++) img.set(rgb, i * 3);
      const yuv = rgbToPackedYuv(img, 4, 4);
      expect([unpack(yuv, yuv.y)[5], unpack(yuv, yuv.u)[1], unpack(yuv, yuv.v)[2]], rgb.join()).toEqual([y, u, v]);
    }
  });
});
