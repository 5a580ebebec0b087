import { emitModule, I32, op, V128, type Code, type FunctionDef, type ValType } from './wasm-emit.js';

/**
 * The warp's pixel loops as WebAssembly SIMD, generated here (see wasm-emit.ts for why).
 * The arithmetic is the TypeScript kernel's (resample.ts), lane for lane: 8-bit samples times
 * weights summing to 256, `+128 >> 8` after each pass, so both give the same bytes.
 *
 * `hrow{T}(src, dst, table, end)`: the horizontal pass of one source row, 8 outputs per step.
 * Each 8-output group of `table` holds (GROUP_BYTES(T) bytes):
 *   +0  i32 offset of the group's first tap in the row (12 bytes padding)
 *   +16 per tap t: 16 swizzle indices (lane k: output k's tap t, relative to the offset;
 *       only the low 8 lanes are used), then 8 i16 weights
 * so one unaligned 16-byte load covers every tap of the 8 outputs, which holds while their taps
 * span at most 16 samples (checked where the table is built).
 *
 * `vrow{T}(dst, bytes, row0..row{T-1}, w0..w{T-1})`: the vertical pass, 16 outputs per step,
 * of `bytes` (rounded up to 16: callers leave room) from T filtered rows.
 */

/** Tap counts with a kernel: 2 (magnifying) and 3 (minifying up to 1.5×). */
export const SIMD_TAPS = [2, 3] as const;
export type SimdTaps = (typeof SIMD_TAPS)[number];

export function groupBytes(taps: number): number {
  return 16 + 32 * taps;
}

function hrow(taps: SimdTaps): FunctionDef {
  const [src, dst, table, end, win] = [0, 1, 2, 3, 4];
  const body: Code[] = [
    op.localGet(dst),
    // the 16 samples from the group's offset
    op.localGet(src),
    op.localGet(table),
    op.i32Load(0),
    op.i32Add,
    op.v128Load(0),
    op.localSet(win),
    op.i32Const(128),
    op.i16x8Splat,
  ];
  for (let t = 0; t < taps; t++) {
    body.push(op.localGet(win), op.localGet(table), op.v128Load(16 + 32 * t), op.i8x16Swizzle, op.i16x8ExtendLowI8x16U);
    body.push(op.localGet(table), op.v128Load(32 + 32 * t), op.i16x8Mul, op.i16x8Add);
  }
  // (sum + 128) >> 8 is at most 255: the unsigned narrow never saturates.
  body.push(op.i32Const(8), op.i16x8ShrU, op.localTee(win), op.localGet(win), op.i8x16NarrowI16x8U, op.v128Store64Lane0(0));
  const next = [
    ...[op.localGet(dst), op.i32Const(8), op.i32Add, op.localSet(dst)],
    ...[op.localGet(table), op.i32Const(groupBytes(taps)), op.i32Add, op.localTee(table)],
  ].flat();
  return {
    name: `hrow${taps}`,
    params: [I32, I32, I32, I32],
    locals: [V128],
    body: [op.doWhile([...body.flat(), ...next], [...op.localGet(end), ...op.i32LtU])],
  };
}

function vrow(taps: SimdTaps): FunctionDef {
  const dst = 0;
  const bytes = 1;
  const row = (t: number): number => 2 + t;
  const weight = (t: number): number => 2 + taps + t;
  const at = 2 + 2 * taps;
  const splat = (t: number): number => at + 1 + t;
  const [x, lo, hi, half] = [at + 1 + taps, at + 2 + taps, at + 3 + taps, at + 4 + taps];
  const prologue: Code[] = [op.i32Const(128), op.i16x8Splat, op.localSet(half)];
  for (let t = 0; t < taps; t++) prologue.push(op.localGet(weight(t)), op.i16x8Splat, op.localSet(splat(t)));
  const body: Code[] = [];
  for (let t = 0; t < taps; t++) {
    body.push(op.localGet(row(t)), op.localGet(at), op.i32Add, op.v128Load(0), op.localSet(x));
    for (const [acc, extend] of [
      [lo, op.i16x8ExtendLowI8x16U],
      [hi, op.i16x8ExtendHighI8x16U],
    ] as const) {
      body.push(op.localGet(x), extend, op.localGet(splat(t)), op.i16x8Mul);
      if (t > 0) body.push(op.localGet(acc), op.i16x8Add);
      body.push(op.localSet(acc));
    }
  }
  body.push(op.localGet(dst), op.localGet(at), op.i32Add);
  for (const acc of [lo, hi]) body.push(op.localGet(acc), op.localGet(half), op.i16x8Add, op.i32Const(8), op.i16x8ShrU);
  body.push(op.i8x16NarrowI16x8U, op.v128Store(0));
  body.push(op.localGet(at), op.i32Const(16), op.i32Add, op.localTee(at));
  return {
    name: `vrow${taps}`,
    params: Array.from({ length: 2 + 2 * taps }, (): ValType => I32),
    locals: [I32, ...Array.from({ length: taps + 4 }, (): ValType => V128)],
    body: [...prologue, op.doWhile(body.flat(), [...op.localGet(bytes), ...op.i32LtU])],
  };
}

export interface WarpKernel {
  hrow2(src: number, dst: number, table: number, end: number): void;
  hrow3(src: number, dst: number, table: number, end: number): void;
  vrow2(dst: number, bytes: number, r0: number, r1: number, w0: number, w1: number): void;
  vrow3(dst: number, bytes: number, r0: number, r1: number, r2: number, w0: number, w1: number, w2: number): void;
}

let compiled: WebAssembly.Module | null | undefined;

/** The compiled kernel module, or null where WebAssembly SIMD is unavailable. */
export function warpKernelModule(): WebAssembly.Module | null {
  if (compiled === undefined) {
    const bytes = emitModule([hrow(2), hrow(3), vrow(2), vrow(3)]);
    compiled = WebAssembly.validate(bytes) ? new WebAssembly.Module(bytes) : null;
  }
  return compiled;
}

export function instantiateKernel(module: WebAssembly.Module, memory: WebAssembly.Memory): WarpKernel {
  const instance = new WebAssembly.Instance(module, { env: { memory } });
  // The exports are the functions defined above, with these signatures.
  return instance.exports as unknown as WarpKernel;
}
