import { computeTaps, createFrameWarper, MAX_TAPS, ONE, type Rect } from './resample.js';
import { groupBytes, instantiateKernel, warpKernelModule, type WarpKernel } from './warp-kernel.js';
import { rgbToPackedYuv, rgbToPlanarYuv } from './yuv.js';

/**
 * The frame warper on the WebAssembly SIMD kernel (warp-kernel.ts): the same filter, taps and
 * rounding as the TypeScript one (resample.ts), so the same bytes, about 5× faster.
 *
 * Frame by frame the taps are computed as there, packed into tables the kernel reads, and the
 * passes run as there: each needed source row filtered horizontally once into a small ring,
 * each output row blended from the ring as soon as its rows exist.
 *
 * The TypeScript warper renders a frame instead (same bytes, slower) when the kernel cannot:
 * a plane needing other than 2 or 3 taps per axis (minifying by more than 1.5×, or planes
 * under 3 samples: camera paths never zoom that far within one clip) or whose 8 outputs'
 * taps span more than 16 samples. `createSimdFrameWarper` returns null where WebAssembly SIMD
 * is unavailable (Node ≥ 16.4 has it), and the worker then uses the TypeScript warper.
 */

/** Ring slots of filtered rows: a power of two above the 3 rows one output row reads. */
const RING = 8;
/** Room after every area: the kernel reads and writes whole 16-byte vectors past row ends. */
const PAD = 32;

interface Plane {
  /** Byte offset of the plane's rows in the kernel's memory. */
  at: number;
  width: number;
  height: number;
}

const align16 = (n: number): number => (n + 15) & ~15;

/** A warper of `outW × outH` frames from the packed RGB working image (`width` even, `height` divisible by 4). */
export function createSimdFrameWarper(rgb: Uint8Array, width: number, height: number, outW: number, outH: number): ((window: Rect) => Uint8Array) | null {
  const module = warpKernelModule();
  if (!module) return null;
  let top = 0;
  const alloc = (bytes: number): number => {
    const at = top;
    top = align16(top + bytes + PAD);
    return at;
  };
  const layout = (w: number, h: number): Plane => ({ at: alloc(w * h), width: w, height: h });
  const [y, u, v] = [layout(width, height), layout(width / 2, height / 2), layout(width / 2, height / 2)];
  const stride = align16(outW);
  const ringAt = alloc(RING * stride);
  const tableAt = alloc(Math.ceil(outW / 8) * groupBytes(3));
  const frameBytes = (outW * outH * 3) / 2;
  const frameAt = alloc(frameBytes);
  const memory = new WebAssembly.Memory({ initial: Math.ceil(top / 65536) });
  const bytes = new Uint8Array(memory.buffer);
  const words = new Int32Array(memory.buffer);
  const halves = new Int16Array(memory.buffer);
  rgbToPlanarYuv(rgb, width, height, bytes, { y: y.at, u: u.at, v: v.at });
  const kernel: WarpKernel = instantiateKernel(module, memory);
  const frame = bytes.subarray(frameAt, frameAt + frameBytes);
  const hStart = new Int32Array(outW);
  const vStart = new Int32Array(outH);
  const hw = Array.from({ length: MAX_TAPS }, () => new Int32Array(outW));
  const vw = Array.from({ length: MAX_TAPS }, () => new Int32Array(outH));
  let fallback: ((window: Rect) => Uint8Array) | null = null;

  /** Packs the horizontal taps of `n` outputs into groups of 8; false if a group spans over 16 samples. */
  function buildTable(n: number, taps: number): boolean {
    const size = groupBytes(taps);
    for (let g = 0, j0 = 0; j0 < n; g++, j0 += 8) {
      const at = tableAt + g * size;
      const base = hStart[j0]!;
      words[at >> 2] = base;
      for (let t = 0; t < taps; t++) {
        const idx = at + 16 + 32 * t;
        const weights = (idx + 16) >> 1;
        for (let k = 0; k < 8; k++) {
          const j = j0 + k;
          const rel = j < n ? hStart[j]! + t - base : 0;
          if (rel > 15) return false;
          bytes[idx + k] = rel;
          halves[weights + k] = j < n ? hw[t]![j]! : 0;
        }
      }
    }
    return true;
  }

  function renderPlane(plane: Plane, win: Rect, to: number, n: number, m: number): boolean {
    const ht = computeTaps(hStart, hw, ONE, plane.width, n, win.x, win.width);
    const vt = computeTaps(vStart, vw, ONE, plane.height, m, win.y, win.height);
    if (ht < 2 || ht > 3 || vt < 2 || vt > 3 || !buildTable(n, ht)) return false;
    const hrow = ht === 2 ? kernel.hrow2 : kernel.hrow3;
    const end = tableAt + Math.ceil(n / 8) * groupBytes(ht);
    const slot = (r: number): number => ringAt + (r & (RING - 1)) * stride;
    let next = 0;
    for (let i = 0; i < m; i++) {
      const r0 = vStart[i]!;
      // Rows arrive in order (starts never decrease), so a row is filtered once, just in time.
      if (next < r0) next = r0;
      for (; next < r0 + vt; next++) hrow(plane.at + next * plane.width, slot(next), tableAt, end);
      const dst = frameAt + to + i * n;
      if (vt === 2) kernel.vrow2(dst, n, slot(r0), slot(r0 + 1), vw[0]![i]!, vw[1]![i]!);
      else kernel.vrow3(dst, n, slot(r0), slot(r0 + 1), slot(r0 + 2), vw[0]![i]!, vw[1]![i]!, vw[2]![i]!);
    }
    return true;
  }

  return (window) => {
    const half = { x: window.x / 2, y: window.y / 2, width: window.width / 2, height: window.height / 2 };
    const cw = outW / 2;
    const ch = outH / 2;
    // Planes render in memory order: a row's 16-byte overshoot lands where later rows go.
    if (renderPlane(y, window, 0, outW, outH) && renderPlane(u, half, outW * outH, cw, ch) && renderPlane(v, half, outW * outH + cw * ch, cw, ch)) {
      return frame;
    }
    fallback ??= createFrameWarper(rgbToPackedYuv(rgb, width, height), outW, outH);
    return fallback(window);
  };
}
