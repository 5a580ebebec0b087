/**
 * Separable scale+translate resampling of one 8-bit plane, in fixed-point integers.
 *
 * The camera never rotates, so every frame is `out(x, y) = src(ax·x + bx, ay·y + by)`: a
 * horizontal and a vertical 1-D filter. Taps are recomputed per frame from the exact float
 * window (no rounding of the crop, which is what makes ffmpeg's zoompan jitter), and the
 * arithmetic is integer so the same window gives the same bytes on every machine.
 */

/** An 8-bit image plane, rows packed without padding. */
export interface Plane {
  data: Uint8Array;
  width: number;
  height: number;
}

/** A window in a plane's edge coordinates: pixel `i` covers `[i, i + 1)`. */
export interface Rect {
  x: number;
  y: number;
  width: number;
  height: number;
}

/** The filter of one axis for one frame: output `j` reads source `start[j] .. start[j] + taps - 1`. */
export interface AxisTaps {
  taps: number;
  start: Int32Array;
  /** `taps` weights per output sample, each set summing to exactly `1 << WEIGHT_BITS`. */
  weights: Int32Array;
}

const WEIGHT_BITS = 14;
const ONE = 1 << WEIGHT_BITS;
/** The horizontal pass keeps 8 extra bits so rounding happens once, at the end. */
const MID_SHIFT = WEIGHT_BITS - 8;
const OUT_SHIFT = WEIGHT_BITS + 8;

/**
 * Taps mapping `extent` source samples starting at `origin` onto `outLen` samples.
 * A tent filter: bilinear when magnifying, widened to the scale when minifying so detail
 * that cannot be shown is averaged rather than aliased (aliasing would shimmer in motion).
 * Reads past the plane edge are folded onto the edge sample.
 */
export function axisTaps(srcLen: number, outLen: number, origin: number, extent: number): AxisTaps {
  const step = extent / outLen;
  const radius = Math.max(1, step);
  const taps = Math.min(srcLen, Math.ceil(2 * radius));
  const start = new Int32Array(outLen);
  const weights = new Int32Array(outLen * taps);
  const raw = new Float64Array(taps);
  for (let j = 0; j < outLen; j++) {
    const centre = origin + (j + 0.5) * step - 0.5;
    const first = Math.floor(centre - radius) + 1;
    const base = Math.min(Math.max(first, 0), srcLen - taps);
    raw.fill(0);
    let sum = 0;
    for (let k = 0; k < taps; k++) {
      const w = Math.max(0, 1 - Math.abs(first + k - centre) / radius);
      const at = Math.min(Math.max(first + k, 0), srcLen - 1) - base;
      raw[at] = (raw[at] ?? 0) + w;
      sum += w;
    }
    start[j] = base;
    quantize(raw, sum, weights, j * taps);
  }
  return { taps, start, weights };
}

/** Rounds weights to integers that sum to exactly ONE, so flat areas stay exactly flat. */
function quantize(raw: Float64Array, sum: number, out: Int32Array, at: number): void {
  let total = 0;
  let biggest = 0;
  for (let k = 0; k < raw.length; k++) {
    const w = Math.round(((raw[k] ?? 0) / sum) * ONE);
    out[at + k] = w;
    total += w;
    if (w > (out[at + biggest] ?? 0)) biggest = k;
  }
  out[at + biggest] = (out[at + biggest] ?? 0) + ONE - total;
}

/**
 * Renders `window` of `src` into `out` (`outW × outH` bytes at `outOffset`).
 * `scratch` holds the horizontal pass and must have room for `src.height × outW` values.
 */
export function resamplePlane(
  src: Plane,
  window: Rect,
  out: Uint8Array,
  outOffset: number,
  outW: number,
  outH: number,
  scratch: Uint16Array,
): void {
  const h = axisTaps(src.width, outW, window.x, window.width);
  const v = axisTaps(src.height, outH, window.y, window.height);
  const firstRow = v.start[0] ?? 0;
  const lastRow = (v.start[outH - 1] ?? 0) + v.taps;
  horizontalPass(src, h, firstRow, lastRow, outW, scratch);
  verticalPass(v, firstRow, outW, outH, scratch, out, outOffset);
}

function horizontalPass(
  src: Plane,
  h: AxisTaps,
  firstRow: number,
  lastRow: number,
  outW: number,
  mid: Uint16Array,
): void {
  const { data, width } = src;
  const { start, weights, taps } = h;
  const round = 1 << (MID_SHIFT - 1);
  for (let y = firstRow; y < lastRow; y++) {
    const row = y * width;
    let o = (y - firstRow) * outW;
    if (taps === 2) {
      for (let j = 0, w = 0; j < outW; j++, w += 2) {
        const s = row + start[j]!;
        mid[o++] = (data[s]! * weights[w]! + data[s + 1]! * weights[w + 1]! + round) >> MID_SHIFT;
      }
    } else if (taps === 3) {
      for (let j = 0, w = 0; j < outW; j++, w += 3) {
        const s = row + start[j]!;
        mid[o++] =
          (data[s]! * weights[w]! + data[s + 1]! * weights[w + 1]! + data[s + 2]! * weights[w + 2]! + round) >>
          MID_SHIFT;
      }
    } else {
      for (let j = 0, w = 0; j < outW; j++, w += taps) {
        const s = row + start[j]!;
        let acc = round;
        for (let k = 0; k < taps; k++) acc += data[s + k]! * weights[w + k]!;
        mid[o++] = acc >> MID_SHIFT;
      }
    }
  }
}

function verticalPass(
  v: AxisTaps,
  firstRow: number,
  outW: number,
  outH: number,
  mid: Uint16Array,
  out: Uint8Array,
  outOffset: number,
): void {
  const { start, weights, taps } = v;
  const round = 1 << (OUT_SHIFT - 1);
  for (let i = 0; i < outH; i++) {
    const a = (start[i]! - firstRow) * outW;
    const wi = i * taps;
    let o = outOffset + i * outW;
    if (taps === 2) {
      const w0 = weights[wi]!;
      const w1 = weights[wi + 1]!;
      const b = a + outW;
      for (let x = 0; x < outW; x++) out[o++] = (mid[a + x]! * w0 + mid[b + x]! * w1 + round) >> OUT_SHIFT;
    } else if (taps === 3) {
      const w0 = weights[wi]!;
      const w1 = weights[wi + 1]!;
      const w2 = weights[wi + 2]!;
      const b = a + outW;
      const c = b + outW;
      for (let x = 0; x < outW; x++) {
        out[o++] = (mid[a + x]! * w0 + mid[b + x]! * w1 + mid[c + x]! * w2 + round) >> OUT_SHIFT;
      }
    } else {
      for (let x = 0; x < outW; x++) {
        let acc = round;
        for (let k = 0; k < taps; k++) acc += mid[a + k * outW + x]! * weights[wi + k]!;
        out[o++] = acc >> OUT_SHIFT;
      }
    }
  }
}
