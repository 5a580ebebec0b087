/**
 * sRGB → Y'CbCr 4:2:0 (BT.709, limited range), once per job, straight into the layout the
 * resampler reads: each 32-bit word holds one column of two rows, `row 2k | row 2k+1 << 16`,
 * so one multiply filters two rows at once (see resample.ts).
 *
 * Feeding ffmpeg yuv420p means it does no colour conversion per frame, and the chroma planes
 * are resampled at quarter size instead of converting every output pixel.
 */

export interface PackedPlane {
  /** Index of the plane's first word in `PackedYuv.words`. */
  offset: number;
  width: number;
  /** Rows; always even. */
  height: number;
}

export interface PackedYuv {
  words: Uint32Array;
  y: PackedPlane;
  u: PackedPlane;
  v: PackedPlane;
}

// BT.709 weights (sRGB shares its primaries), as 16-bit fixed point so the result is exact
// integers on every machine. Limited range: Y in 16..235, Cb/Cr in 16..240.
const KR = 0.2126;
const KB = 0.0722;
const KG = 1 - KR - KB;
const FIX = 1 << 16;
const Y_SCALE = (219 / 255) * FIX;
const C_SCALE = (224 / 255) * FIX;
const YR = Math.round(KR * Y_SCALE);
const YG = Math.round(KG * Y_SCALE);
const YB = Math.round(KB * Y_SCALE);
const UR = Math.round((-KR / (2 * (1 - KB))) * C_SCALE);
const UG = Math.round((-KG / (2 * (1 - KB))) * C_SCALE);
const UB = Math.round(0.5 * C_SCALE);
const VR = Math.round(0.5 * C_SCALE);
const VG = Math.round((-KG / (2 * (1 - KR))) * C_SCALE);
const VB = Math.round((-KB / (2 * (1 - KR))) * C_SCALE);
const Y_BIAS = 16 * FIX + FIX / 2;
// Chroma is computed from the sum of a 2×2 block, hence four times the scale.
const C_BIAS = 128 * 4 * FIX + 2 * FIX;

/** Where `rgbToPlanarYuv` writes each plane, as byte offsets into its output. */
export interface PlanarOffsets {
  y: number;
  u: number;
  v: number;
}

/**
 * Converts packed RGB (`width` even, `height` divisible by 4) to plain 8-bit yuv420p planes
 * written at `at` in `out`: rows of `width` luma samples, rows of `width / 2` chroma samples.
 */
export function rgbToPlanarYuv(rgb: Uint8Array, width: number, height: number, out: Uint8Array, at: PlanarOffsets): void {
  if (width % 2 !== 0 || height % 4 !== 0) throw new Error(`working size ${width}x${height} not 2x4-aligned`);
  const cw = width / 2;
  for (let cy = 0; cy < height / 2; cy++) {
    // Luma rows 2·cy and 2·cy+1; chroma row `cy` averages them.
    const top = 2 * cy * width * 3;
    const bottom = top + width * 3;
    const lumaTop = at.y + 2 * cy * width;
    const lumaBottom = lumaTop + width;
    const chroma = cy * cw;
    for (let x = 0; x < cw; x++) {
      let r = 0;
      let g = 0;
      let b = 0;
      for (let dx = 0; dx < 2; dx++) {
        const col = 2 * x + dx;
        const t = top + col * 3;
        const s = bottom + col * 3;
        const r0 = rgb[t]!,
          g0 = rgb[t + 1]!,
          b0 = rgb[t + 2]!;
        const r1 = rgb[s]!,
          g1 = rgb[s + 1]!,
          b1 = rgb[s + 2]!;
        out[lumaTop + col] = (YR * r0 + YG * g0 + YB * b0 + Y_BIAS) >> 16;
        out[lumaBottom + col] = (YR * r1 + YG * g1 + YB * b1 + Y_BIAS) >> 16;
        r += r0 + r1;
        g += g0 + g1;
        b += b0 + b1;
      }
      out[at.u + chroma + x] = (UR * r + UG * g + UB * b + C_BIAS) >> 18;
      out[at.v + chroma + x] = (VR * r + VG * g + VB * b + C_BIAS) >> 18;
    }
  }
}

/** Converts packed RGB (`width` even, `height` divisible by 4) to packed-pair YUV 4:2:0. */
export function rgbToPackedYuv(rgb: Uint8Array, width: number, height: number): PackedYuv {
  const cw = width / 2;
  const ch = height / 2;
  const planar = new Uint8Array((width * height * 3) / 2);
  rgbToPlanarYuv(rgb, width, height, planar, { y: 0, u: width * height, v: width * height + cw * ch });
  const y: PackedPlane = { offset: 0, width, height };
  const u: PackedPlane = { offset: (width * height) / 2, width: cw, height: ch };
  const v: PackedPlane = { offset: u.offset + (cw * ch) / 2, width: cw, height: ch };
  const words = new Uint32Array(v.offset + (cw * ch) / 2);
  // Plane by plane, rows 2k and 2k+1 of a column become one word (the planes are contiguous
  // in both layouts, so one pass over row pairs covers all three).
  for (let pair = 0, row = 0; pair < words.length; row += 2) {
    const w = row < height ? width : cw;
    const from = row < height ? row * width : width * height + (row - height) * cw;
    for (let x = 0; x < w; x++, pair++) words[pair] = planar[from + x]! | (planar[from + w + x]! << 16);
  }
  return { words, y, u, v };
}
