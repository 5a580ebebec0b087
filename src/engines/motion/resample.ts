/**
 * Separable scale+translate resampling of one 8-bit plane, in fixed-point integers.
 *
 * The camera never rotates, so every frame is `out(x, y) = src(ax·x + bx, ay·y + by)`: one
 * horizontal and one vertical 1-D filter. Taps are recomputed per frame from the exact float
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

/** The filter of one axis for one frame: output `j` reads source `start[j] + k` with `weights[k][j]`. */
export interface AxisTaps {
  taps: number;
  start: Int32Array;
  /** One array per tap; for each output the weights sum to exactly `1 << WEIGHT_BITS`. */
  weights: Int32Array[];
}

const WEIGHT_BITS = 14;
const ONE = 1 << WEIGHT_BITS;
// The horizontal pass keeps 8 extra bits so rounding to 8 bits happens once, at the end.
// Worst case 255·2^8·2^14 stays below 2^31, so everything is int32 arithmetic.
const MID_SHIFT = WEIGHT_BITS - 8;
const MID_ROUND = 1 << (MID_SHIFT - 1);
const OUT_SHIFT = WEIGHT_BITS + 8;
const OUT_ROUND = 1 << (OUT_SHIFT - 1);

/**
 * Taps mapping `extent` source samples starting at `origin` onto `outLen` samples.
 * A tent filter: bilinear when magnifying, widened to the scale when minifying so detail
 * that cannot be shown is averaged rather than aliased (aliasing would shimmer in motion).
 * Reads past the plane edge fold onto the edge sample.
 */
export function axisTaps(srcLen: number, outLen: number, origin: number, extent: number): AxisTaps {
  const step = extent / outLen;
  const radius = Math.max(1, step);
  const taps = Math.min(srcLen, Math.ceil(2 * radius));
  const start = new Int32Array(outLen);
  const weights = Array.from({ length: taps }, () => new Int32Array(outLen));
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
    quantize(raw, sum, weights, j);
  }
  return { taps, start, weights };
}

/** Rounds weights to integers that sum to exactly ONE, so flat areas stay exactly flat. */
function quantize(raw: Float64Array, sum: number, weights: Int32Array[], j: number): void {
  let total = 0;
  let biggest = 0;
  let biggestValue = -1;
  for (let k = 0; k < raw.length; k++) {
    const w = Math.round(((raw[k] ?? 0) / sum) * ONE);
    weights[k]![j] = w;
    total += w;
    if (w > biggestValue) [biggest, biggestValue] = [k, w];
  }
  weights[biggest]![j] = biggestValue + ONE - total;
}

/**
 * Renders windows of planes into `outW × outH` regions. Keeps only a few filtered rows in a
 * ring (each is read by at most `taps` output rows, in order), which keeps the working set in
 * cache: measured ~40% faster than filtering the whole window horizontally first.
 */
export class PlaneResampler {
  private ring = new Uint16Array(0);
  private ringRows = new Int32Array(0);

  constructor(
    readonly outW: number,
    readonly outH: number,
  ) {}

  render(src: Plane, window: Rect, out: Uint8Array, outOffset: number): void {
    const { outW, outH } = this;
    const h = axisTaps(src.width, outW, window.x, window.width);
    const v = axisTaps(src.height, outH, window.y, window.height);
    const slots = ringSize(v.taps);
    if (this.ring.length < slots * outW) this.ring = new Uint16Array(slots * outW);
    if (this.ringRows.length < slots) this.ringRows = new Int32Array(slots);
    const ring = this.ring;
    const rows = this.ringRows;
    rows.fill(-1);
    const mask = slots - 1;
    const rowOffsets = new Int32Array(v.taps);
    for (let i = 0; i < outH; i++) {
      const first = v.start[i]!;
      for (let k = 0; k < v.taps; k++) {
        const r = first + k;
        const slot = r & mask;
        if (rows[slot] !== r) {
          filterRow(src, r, h, ring, slot * outW, outW);
          rows[slot] = r;
        }
        rowOffsets[k] = slot * outW;
      }
      blendRows(ring, rowOffsets, v, i, out, outOffset + i * outW, outW);
    }
  }
}

function ringSize(taps: number): number {
  let n = 2;
  while (n < taps + 1) n *= 2;
  return n;
}

/** The horizontal pass of source row `y` into `mid` at `at`. */
function filterRow(src: Plane, y: number, h: AxisTaps, mid: Uint16Array, at: number, outW: number): void {
  const row = y * src.width;
  if (h.taps === 2) filterRow2(src.data, row, h.start, h.weights[0]!, h.weights[1]!, mid, at, outW);
  else if (h.taps === 3) filterRow3(src.data, row, h.start, h.weights[0]!, h.weights[1]!, h.weights[2]!, mid, at, outW);
  else filterRowN(src.data, row, h, mid, at, outW);
}

// The hot loops take every typed array as a direct parameter: measured about 1.5x faster
// in V8 than reading them from objects, even when those reads are hoisted by hand.
function filterRow2(
  data: Uint8Array, row: number, start: Int32Array, w0: Int32Array, w1: Int32Array,
  mid: Uint16Array, at: number, outW: number,
): void {
  for (let j = 0; j < outW; j++) {
    const s = row + start[j]!;
    mid[at + j] = (data[s]! * w0[j]! + data[s + 1]! * w1[j]! + MID_ROUND) >> MID_SHIFT;
  }
}

function filterRow3(
  data: Uint8Array, row: number, start: Int32Array, w0: Int32Array, w1: Int32Array, w2: Int32Array,
  mid: Uint16Array, at: number, outW: number,
): void {
  for (let j = 0; j < outW; j++) {
    const s = row + start[j]!;
    mid[at + j] = (data[s]! * w0[j]! + data[s + 1]! * w1[j]! + data[s + 2]! * w2[j]! + MID_ROUND) >> MID_SHIFT;
  }
}

function filterRowN(data: Uint8Array, row: number, h: AxisTaps, mid: Uint16Array, at: number, outW: number): void {
  for (let j = 0; j < outW; j++) {
    const s = row + h.start[j]!;
    let acc = MID_ROUND;
    for (let k = 0; k < h.taps; k++) acc += data[s + k]! * h.weights[k]![j]!;
    mid[at + j] = acc >> MID_SHIFT;
  }
}

/** The vertical pass for output row `i`: a weighted sum of `v.taps` filtered rows. */
function blendRows(
  mid: Uint16Array, rows: Int32Array, v: AxisTaps, i: number, out: Uint8Array, at: number, outW: number,
): void {
  const w = v.weights;
  if (v.taps === 2) blendRows2(mid, rows[0]!, rows[1]!, w[0]![i]!, w[1]![i]!, out, at, outW);
  else if (v.taps === 3) blendRows3(mid, rows[0]!, rows[1]!, rows[2]!, w[0]![i]!, w[1]![i]!, w[2]![i]!, out, at, outW);
  else blendRowsN(mid, rows, v, i, out, at, outW);
}

function blendRows2(
  mid: Uint16Array, a: number, b: number, wa: number, wb: number, out: Uint8Array, at: number, outW: number,
): void {
  for (let x = 0; x < outW; x++) out[at + x] = (mid[a + x]! * wa + mid[b + x]! * wb + OUT_ROUND) >> OUT_SHIFT;
}

function blendRows3(
  mid: Uint16Array, a: number, b: number, c: number, wa: number, wb: number, wc: number,
  out: Uint8Array, at: number, outW: number,
): void {
  for (let x = 0; x < outW; x++) {
    out[at + x] = (mid[a + x]! * wa + mid[b + x]! * wb + mid[c + x]! * wc + OUT_ROUND) >> OUT_SHIFT;
  }
}

function blendRowsN(
  mid: Uint16Array, rows: Int32Array, v: AxisTaps, i: number, out: Uint8Array, at: number, outW: number,
): void {
  for (let x = 0; x < outW; x++) {
    let acc = OUT_ROUND;
    for (let k = 0; k < v.taps; k++) acc += mid[rows[k]! + x]! * v.weights[k]![i]!;
    out[at + x] = acc >> OUT_SHIFT;
  }
}
