export type ImageMime = 'image/jpeg' | 'image/png' | 'image/webp';

export type Sniffed =
  | { mime: ImageMime }
  /** `description` completes "... is not a JPEG, PNG or WebP image: ", e.g. "it is a GIF image". */
  | { mime: null; description: string };

function startsWith(bytes: Buffer, signature: readonly number[], offset = 0): boolean {
  return bytes.length >= offset + signature.length && signature.every((b, i) => bytes[offset + i] === b);
}

function ascii(bytes: Buffer, start: number, end: number): string {
  return bytes.subarray(start, end).toString('latin1');
}

// Formats people commonly send by mistake, named so the error says what was actually received.
const OTHER_IMAGES: [string, (b: Buffer) => boolean][] = [
  ['a GIF image', (b) => ascii(b, 0, 6) === 'GIF87a' || ascii(b, 0, 6) === 'GIF89a'],
  ['a BMP image', (b) => ascii(b, 0, 2) === 'BM' && b.length >= 26],
  ['a TIFF image', (b) => ascii(b, 0, 4) === 'II*\0' || ascii(b, 0, 4) === 'MM\0*'],
  ['an AVIF image', (b) => ascii(b, 4, 8) === 'ftyp' && /^avi[fs]/.test(ascii(b, 8, 12))],
  ['a HEIC image', (b) => ascii(b, 4, 8) === 'ftyp' && /^(hei[cx]|mif1|msf1|hevc)/.test(ascii(b, 8, 12))],
  ['a JPEG XL image', (b) => startsWith(b, [0xff, 0x0a]) || startsWith(b, [0, 0, 0, 0x0c, 0x4a, 0x58, 0x4c, 0x20])],
  ['an ICO image', (b) => startsWith(b, [0, 0, 1, 0])],
  ['a PDF document', (b) => ascii(b, 0, 5) === '%PDF-'],
];

function describeText(bytes: Buffer): string | null {
  const head = bytes
    .subarray(0, 512)
    .toString('utf8')
    .replace(/^\uFEFF/, '')
    .trimStart()
    .toLowerCase();
  if (head.startsWith('<!doctype html') || head.startsWith('<html') || /<(head|body|title|script)[\s>]/.test(head)) {
    return 'an HTML page';
  }
  if (head.startsWith('<svg') || (head.startsWith('<?xml') && head.includes('<svg'))) return 'an SVG image';
  if (head.startsWith('<?xml') || head.startsWith('<')) return 'an XML document';
  if (head.startsWith('{') || head.startsWith('[')) return 'JSON text';
  return null;
}

/**
 * Identifies the format from the first bytes, never from a declared type: Content-Type
 * headers and data-URI labels are routinely wrong. Accepted formats come back as a MIME
 * type; anything else as a clause for an error message ("it looks like an HTML page").
 */
export function sniffImage(bytes: Buffer): Sniffed {
  if (startsWith(bytes, [0xff, 0xd8, 0xff])) return { mime: 'image/jpeg' };
  if (startsWith(bytes, [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a])) return { mime: 'image/png' };
  if (ascii(bytes, 0, 4) === 'RIFF' && ascii(bytes, 8, 12) === 'WEBP') return { mime: 'image/webp' };
  const other = OTHER_IMAGES.find(([, test]) => test(bytes));
  if (other) return { mime: null, description: `it is ${other[0]}` };
  const text = describeText(bytes);
  if (text) return { mime: null, description: `it looks like ${text}` };
  return { mime: null, description: 'its first bytes match none of these formats' };
}
