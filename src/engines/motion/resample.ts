import { endianness } from 'node:os';
import type { PackedPlane, PackedYuv } from './yuv.js';

/**
 * Scale+translate resampling of a yuv420p frame, separable and in fixed-point integers.
 * Renders use the WebAssembly SIMD version of this kernel (simd-warper.ts), which gives the same
 * bytes ~5× faster; this one is its reference and its fallback.
 *
 * The camera never rotates, so a frame is `out(x, y) = src(ax·x + bx, ay·y + by)`: one 1-D
 * filter per axis. Taps are recomputed per frame from the exact float window (no rounding of
 * the crop, the cause of ffmpeg zoompan's jitter), and the arithmetic is integer, so a window
 * gives the same bytes on every machine.
 *
 * Speed is what shaped this (plain JS: the cost is per operation). Both passes work on two
 * 16-bit lanes per 32-bit word, so one multiply filters two pixels: an 8-bit value times an
 * 8-bit weight, summed over weights totalling 256, stays below 2^16 and never carries into
 * the other lane.
 * - Sources are packed two rows per word (yuv.ts): the horizontal pass filters two rows at
 *   once, then regroups its rounded results as two adjacent columns per word.
 * - The vertical pass then blends those words: two output pixels per multiply.
 * - Only a ring of a few filtered rows is kept, blended as soon as they exist, so the working
 *   set stays in cache (~40% faster than a whole horizontal pass first).
 * - Hot arrays are captured constants of one closure and loops are specialised for 2 and 3
 *   taps: V8 runs typed-array loops up to 2× slower when arrays arrive through object fields.
 * Measured per 1280×720 frame: ~4.8 ms, against ~6 ms with 16-bit intermediates and ~13 ms
 * for a straightforward two-pass version. Precision: weights in 1/256 (positions to 1/512 px)
 * and one extra rounding to 8 bits between the passes, below what x264 keeps anyway.
 */

/** A window in a plane's edge coordinates: pixel `i` covers `[i, i + 1)`. */
export interface Rect {
  x: number;
  y: number;
  width: number;
  height: number;
}

/** Weights of each output sample sum to this: the lane budget described above. */
export const ONE = 1 << 8;
/** Adds one half (128) to both lanes, for rounding both at once. */
const HALVES = 0x00800080;
const LOW_BYTES = 0x00ff00ff;
/** Enough for a minification of 4×; camera paths stay under 1.5× (3 taps). */
export const MAX_TAPS = 8;
/** Filtered rows kept: at least taps + 2, since rows arrive two at a time. */
const RING = 16;

/**
 * Tent-filter taps mapping `extent` source samples from `origin` onto `outLen` samples:
 * bilinear when magnifying, widened to the scale when minifying so detail that cannot be
 * shown is averaged rather than aliased (aliasing would shimmer in motion). Reads past the
 * plane edge fold onto the edge sample. Writes `start` and `weights`; returns the tap count.
 */
export function computeTaps(start: Int32Array, weights: Int32Array[], one: number, srcLen: number, outLen: number, origin: number, extent: number): number {
  const step = extent / outLen;
  const radius = Math.max(1, step);
  const taps = Math.min(srcLen, Math.ceil(2 * radius));
  if (taps > weights.length) throw new Error(`minification ${step.toFixed(2)}x needs ${taps} taps`);
  const raw = new Float64Array(taps);
  for (let j = 0; j < outLen; j++) {
    const centre = origin + (j + 0.5) * step - 0.5;
    const first = Math.floor(centre - radius) + 1;
    const base = Math.min(Math.max(first, 0), srcLen - taps);
    raw.fill(0);
    for (let k = 0; k < taps; k++) {
      const at = Math.min(Math.max(first + k, 0), srcLen - 1) - base;
      raw[at] = raw[at]! + Math.max(0, 1 - Math.abs(first + k - centre) / radius);
    }
    start[j] = base;
    quantize(raw, one, weights, j);
  }
  return taps;
}

/** Rounds weights to integers summing to exactly `one`, so flat areas stay exactly flat. */
function quantize(raw: Float64Array, one: number, weights: Int32Array[], j: number): void {
  let sum = 0;
  for (let k = 0; k < raw.length; k++) sum += raw[k]!;
  let total = 0;
  let biggest = 0;
  for (let k = 0; k < raw.length; k++) {
    const w = Math.round((raw[k]! / sum) * one);
    weights[k]![j] = w;
    total += w;
    if (w > weights[biggest]![j]!) biggest = k;
  }
  weights[biggest]![j]! += one - total;
}

/**
 * A renderer of `outW × outH` yuv420p frames (`outW`, `outH` even) from `src`. The returned
 * function fills and returns one internal buffer, valid until its next call. `window` is in
 * luma pixels.
 */
export function createFrameWarper(src: PackedYuv, outW: number, outH: number): (window: Rect) => Uint8Array {
  const words = src.words;
  const frame = new Uint8Array((outW * outH * 3) / 2);
  // Pairs of output pixels are stored as one 16-bit value: first pixel in the low byte, which
  // is the first byte in memory only on little-endian machines.
  if (endianness() !== 'LE') throw new Error('the motion engine needs a little-endian CPU');
  const pixels = new Uint16Array(frame.buffer);
  const hStart = new Int32Array(outW);
  const vStart = new Int32Array(outH);
  const hw = Array.from({ length: MAX_TAPS }, () => new Int32Array(outW));
  const vw = Array.from({ length: MAX_TAPS }, () => new Int32Array(outH));
  const [hw0, hw1, hw2] = [hw[0]!, hw[1]!, hw[2]!];
  const [vw0, vw1, vw2] = [vw[0]!, vw[1]!, vw[2]!];
  /** Row `r` of the current plane, as `n / 2` words of column pairs, lives at `(r & (RING - 1)) · n / 2`. */
  const ring = new Uint32Array((RING * outW) / 2);
  const ringRow = new Int32Array(RING);

  /** Horizontal pass of source rows `2·pair` and `2·pair + 1` (word row at `at`) into the ring. */
  function filterPair(taps: number, at: number, pair: number, half: number): void {
    const even = ((2 * pair) & (RING - 1)) * half;
    if (taps === 2) filterPair2(at, even, half);
    else if (taps === 3) filterPair3(at, even, half);
    else filterPairN(taps, at, even, half);
  }

  // a: (row 2p | row 2p+1) of column j, b: the same of column j+1, both with 8 fractional
  // bits; round both lanes to 8 bits and regroup by row: (j | j+1) of 2p, then of 2p+1.
  function store(a: number, b: number, even: number, half: number, q: number): void {
    const ra = ((a + HALVES) >>> 8) & LOW_BYTES;
    const rb = ((b + HALVES) >>> 8) & LOW_BYTES;
    ring[even + q] = (ra & 0xff) | ((rb & 0xff) << 16);
    ring[even + half + q] = (ra >>> 16) | (rb & 0xff0000);
  }

  function filterPair2(at: number, even: number, half: number): void {
    for (let q = 0, j = 0; q < half; q++, j += 2) {
      const s = at + hStart[j]!;
      const t = at + hStart[j + 1]!;
      const a = Math.imul(words[s]!, hw0[j]!) + Math.imul(words[s + 1]!, hw1[j]!);
      const b = Math.imul(words[t]!, hw0[j + 1]!) + Math.imul(words[t + 1]!, hw1[j + 1]!);
      store(a, b, even, half, q);
    }
  }

  function filterPair3(at: number, even: number, half: number): void {
    for (let q = 0, j = 0; q < half; q++, j += 2) {
      const s = at + hStart[j]!;
      const t = at + hStart[j + 1]!;
      const a = Math.imul(words[s]!, hw0[j]!) + Math.imul(words[s + 1]!, hw1[j]!) + Math.imul(words[s + 2]!, hw2[j]!);
      const b = Math.imul(words[t]!, hw0[j + 1]!) + Math.imul(words[t + 1]!, hw1[j + 1]!) + Math.imul(words[t + 2]!, hw2[j + 1]!);
      store(a, b, even, half, q);
    }
  }

  function filterPairN(taps: number, at: number, even: number, half: number): void {
    for (let q = 0, j = 0; q < half; q++, j += 2) {
      const s = at + hStart[j]!;
      const t = at + hStart[j + 1]!;
      let a = 0;
      let b = 0;
      for (let k = 0; k < taps; k++) {
        a += Math.imul(words[s + k]!, hw[k]![j]!);
        b += Math.imul(words[t + k]!, hw[k]![j + 1]!);
      }
      store(a, b, even, half, q);
    }
  }

  /** Vertical pass of output row `i` (taps from source row `r0`) into `frame` at `to`. */
  function blendRow(taps: number, r0: number, i: number, to: number, half: number): void {
    const a = (r0 & (RING - 1)) * half;
    const b = ((r0 + 1) & (RING - 1)) * half;
    const at = to >> 1;
    if (taps === 2) blendRow2(a, b, vw0[i]!, vw1[i]!, at, half);
    else if (taps === 3) blendRow3(a, b, ((r0 + 2) & (RING - 1)) * half, vw0[i]!, vw1[i]!, vw2[i]!, at, half);
    else blendRowN(taps, r0, i, at, half);
  }

  // Output words hold two pixels in lanes; `pixels` stores them as two bytes at once.
  function blendRow2(a: number, b: number, w0: number, w1: number, at: number, half: number): void {
    for (let q = 0; q < half; q++) {
      const y = (Math.imul(ring[a + q]!, w0) + Math.imul(ring[b + q]!, w1) + HALVES) >>> 8;
      pixels[at + q] = (y & 0xff) | ((y >>> 8) & 0xff00);
    }
  }

  function blendRow3(a: number, b: number, c: number, w0: number, w1: number, w2: number, at: number, half: number): void {
    for (let q = 0; q < half; q++) {
      const y = (Math.imul(ring[a + q]!, w0) + Math.imul(ring[b + q]!, w1) + Math.imul(ring[c + q]!, w2) + HALVES) >>> 8;
      pixels[at + q] = (y & 0xff) | ((y >>> 8) & 0xff00);
    }
  }

  function blendRowN(taps: number, r0: number, i: number, at: number, half: number): void {
    for (let q = 0; q < half; q++) {
      let x = HALVES;
      for (let k = 0; k < taps; k++) x += Math.imul(ring[((r0 + k) & (RING - 1)) * half + q]!, vw[k]![i]!);
      const y = x >>> 8;
      pixels[at + q] = (y & 0xff) | ((y >>> 8) & 0xff00);
    }
  }

  function renderPlane(plane: PackedPlane, win: Rect, to: number, n: number, m: number): void {
    const ht = computeTaps(hStart, hw, ONE, plane.width, n, win.x, win.width);
    const vt = computeTaps(vStart, vw, ONE, plane.height, m, win.y, win.height);
    const half = n / 2;
    ringRow.fill(-1);
    for (let i = 0; i < m; i++) {
      const r0 = vStart[i]!;
      for (let pair = r0 >> 1; pair <= (r0 + vt - 1) >> 1; pair++) {
        const slot = (2 * pair) & (RING - 1);
        if (ringRow[slot] !== 2 * pair) {
          filterPair(ht, plane.offset + pair * plane.width, pair, half);
          ringRow[slot] = 2 * pair;
        }
      }
      blendRow(vt, r0, i, to + i * n, half);
    }
  }

  return (window) => {
    const half = { x: window.x / 2, y: window.y / 2, width: window.width / 2, height: window.height / 2 };
    renderPlane(src.y, window, 0, outW, outH);
    renderPlane(src.u, half, outW * outH, outW / 2, outH / 2);
    renderPlane(src.v, half, (outW * outH * 5) / 4, outW / 2, outH / 2);
    return frame;
  };
}
