/**
 * A minimal WebAssembly binary writer: just enough to emit the warp kernel (warp-kernel.ts)
 * from TypeScript at run time. Generating the bytes in code, rather than committing a .wasm
 * or adding a compiler to the toolchain, keeps the kernel's only source in the repo, needs no
 * build step, and runs the same from `src/` (tests) and `dist/` (production).
 *
 * Encodings follow the WebAssembly core spec, binary format, and its fixed-width SIMD opcodes
 * (all behind the 0xfd prefix).
 */

export const I32 = 0x7f;
export const V128 = 0x7b;
export type ValType = typeof I32 | typeof V128;
/** Encoded instructions. */
export type Code = readonly number[];

function uleb(value: number): number[] {
  const out: number[] = [];
  let v = value >>> 0;
  do {
    let byte = v & 0x7f;
    v >>>= 7;
    if (v !== 0) byte |= 0x80;
    out.push(byte);
  } while (v !== 0);
  return out;
}

function sleb(value: number): number[] {
  const out: number[] = [];
  let v = value | 0;
  for (;;) {
    const byte = v & 0x7f;
    v >>= 7;
    const done = (v === 0 && (byte & 0x40) === 0) || (v === -1 && (byte & 0x40) !== 0);
    out.push(done ? byte : byte | 0x80);
    if (done) return out;
  }
}

function vec(items: number[][]): number[] {
  return [...uleb(items.length), ...items.flat()];
}

function name(text: string): number[] {
  const bytes = [...new TextEncoder().encode(text)];
  return [...uleb(bytes.length), ...bytes];
}

function section(id: number, body: number[]): number[] {
  return [id, ...uleb(body.length), ...body];
}

const simd = (op: number, ...imm: number[]): number[] => [0xfd, ...uleb(op), ...imm];
/** Memory immediates: alignment as log2 of bytes, then a constant offset. */
const memarg = (alignLog2: number, offset: number): number[] => [...uleb(alignLog2), ...uleb(offset)];

/** Instructions, each as its bytes; named after the text format. */
export const op = {
  localGet: (i: number) => [0x20, ...uleb(i)],
  localSet: (i: number) => [0x21, ...uleb(i)],
  localTee: (i: number) => [0x22, ...uleb(i)],
  i32Const: (v: number) => [0x41, ...sleb(v)],
  i32Add: [0x6a],
  i32LtU: [0x49],
  i32Load: (offset = 0) => [0x28, ...memarg(2, offset)],
  /** A do-while loop: `body`, then `cond` (an i32) repeats it while non-zero. */
  doWhile: (body: Code, cond: Code): Code => [0x03, 0x40, ...body, ...cond, 0x0d, 0x00, 0x0b],
  v128Load: (offset = 0) => simd(0x00, ...memarg(0, offset)),
  v128Store: (offset = 0) => simd(0x0b, ...memarg(0, offset)),
  /** Stores the low 8 bytes of a v128. */
  v128Store64Lane0: (offset = 0) => simd(0x5b, ...memarg(0, offset), 0),
  i8x16Swizzle: simd(0x0e),
  i16x8Splat: simd(0x10),
  i8x16NarrowI16x8U: simd(0x66),
  i16x8ExtendLowI8x16U: simd(0x89),
  i16x8ExtendHighI8x16U: simd(0x8a),
  i16x8ShrU: simd(0x8d),
  i16x8Add: simd(0x8e),
  i16x8Mul: simd(0x95),
} as const;

export interface FunctionDef {
  name: string;
  params: ValType[];
  /** Extra locals, numbered after the params. */
  locals: ValType[];
  body: Code[];
}

/** A module importing one memory as `env.memory` and exporting `functions` (no results). */
export function emitModule(functions: FunctionDef[]): Uint8Array<ArrayBuffer> {
  const types = vec(functions.map((f) => [0x60, ...vec(f.params.map((p) => [p])), ...vec([])]));
  const imports = vec([[...name('env'), ...name('memory'), 0x02, 0x00, 0x01]]);
  const funcs = vec(functions.map((_, i) => uleb(i)));
  const exports = vec(functions.map((f, i) => [...name(f.name), 0x00, ...uleb(i)]));
  const code = vec(
    functions.map((f) => {
      const locals = vec(f.locals.map((t) => [1, t]));
      const body = [...locals, ...f.body.flat(), 0x0b];
      return [...uleb(body.length), ...body];
    }),
  );
  return new Uint8Array([
    ...[0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00],
    ...section(1, types),
    ...section(2, imports),
    ...section(3, funcs),
    ...section(7, exports),
    ...section(10, code),
  ]);
}
