import { ImageInputError } from './image-error.js';
import { formatMegabytes } from '../../net/format.js';
import type { ImageLimits } from './limits.js';

export const ACCEPTED_FORMS = 'send an http(s):// URL, a data:image/jpeg|png|webp;base64,... URI, or the base64-encoded bytes of a JPEG, PNG or WebP image';

const DATA_URI_TYPES = new Set(['image/jpeg', 'image/jpg', 'image/pjpeg', 'image/png', 'image/webp']);

function maxBase64Chars(limits: ImageLimits): number {
  return Math.ceil(limits.maxEncodedBytes / 3) * 4;
}

function tooLarge(chars: number, limits: ImageLimits): ImageInputError {
  const approx = Math.floor((chars * 3) / 4);
  return new ImageInputError(`image is about ${formatMegabytes(approx)} after base64 decoding; the limit is ${formatMegabytes(limits.maxEncodedBytes)}`);
}

// What `\s` matches in a JavaScript regular expression: the whitespace the decoder tolerates.
const WHITESPACE = new Set([0x09, 0x0a, 0x0b, 0x0c, 0x0d, 0x20, 0xa0, 0x1680, 0x2028, 0x2029, 0x202f, 0x205f, 0x3000, 0xfeff]);
const isWhitespace = (code: number): boolean => WHITESPACE.has(code) || (code >= 0x2000 && code <= 0x200a);

interface Scan {
  /** Characters other than whitespace: the length of the compacted text. */
  chars: number;
  /** Only the base64 alphabets (standard and URL-safe) followed by at most two "=". */
  valid: boolean;
  padded: boolean;
  /** Whitespace or URL-safe characters present: the text needs compacting before Buffer decodes it. */
  needsCompacting: boolean;
}

const STRICT = /^[A-Za-z0-9+/]*={0,2}$/;
// By character code below 128: 1 standard alphabet, 2 URL-safe, 3 "=", 4 whitespace, 0 anything else.
const ASCII_CLASS = new Uint8Array(128);
for (const ch of 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/') ASCII_CLASS[ch.charCodeAt(0)] = 1;
ASCII_CLASS[0x2d] = ASCII_CLASS[0x5f] = 2;
ASCII_CLASS[0x3d] = 3;
for (const code of WHITESPACE) if (code < 128) ASCII_CLASS[code] = 4;

/** Judges the text without copying it, so a 28 M-character payload is refused before anything is allocated. */
function scanBase64(text: string): Scan {
  // The usual case, plain base64: one native regular-expression pass.
  if (STRICT.test(text)) return { chars: text.length, valid: true, padded: text.endsWith('='), needsCompacting: false };
  let chars = 0;
  let padding = 0;
  let valid = true;
  let needsCompacting = false;
  for (let i = 0; i < text.length; i++) {
    const code = text.charCodeAt(i);
    const kind = code < 128 ? ASCII_CLASS[code] : isWhitespace(code) ? 4 : 0;
    if (kind === 4) {
      needsCompacting = true;
      continue;
    }
    chars++;
    if (kind === 3) padding++;
    // A character outside both alphabets, or after "=".
    else if (kind === 0 || padding > 0) valid = false;
    else if (kind === 2) needsCompacting = true;
  }
  return { chars, valid: valid && padding <= 2, padded: padding > 0, needsCompacting };
}

/**
 * Decodes base64 strictly. Buffer.from(s, 'base64') silently skips bad characters, so the
 * text is validated first; whitespace (line-wrapped output of `base64`) and the URL-safe
 * alphabet are tolerated. Returns null when `text` is not base64 at all. The text is scanned
 * before it is copied, so an image over the limit is refused without a copy of it.
 */
export function decodeBase64(text: string, limits: ImageLimits): Buffer | null {
  // Cheap bound before any copying: base64 plus generous room for line breaks.
  if (text.length > maxBase64Chars(limits) * 1.1 + 4096) throw tooLarge(text.length, limits);
  const scan = scanBase64(text);
  if (scan.chars === 0 || !scan.valid || scan.chars % 4 === 1) return null;
  if (scan.padded && scan.chars % 4 !== 0) return null;
  if (scan.chars > maxBase64Chars(limits) + 4) throw tooLarge(scan.chars, limits);
  const compact = scan.needsCompacting ? text.replace(/\s+/g, '').replace(/-/g, '+').replace(/_/g, '/') : text;
  return Buffer.from(compact, 'base64');
}

/** The bytes of a `data:` URI; only base64 image/jpeg, image/png and image/webp are accepted. */
export function decodeDataUri(value: string, limits: ImageLimits): Buffer {
  const comma = value.indexOf(',');
  if (comma < 0) throw new ImageInputError(`image data URI has no comma; expected data:image/png;base64,<base64 bytes>`);
  const params = value
    .slice(5, comma)
    .split(';')
    .map((p) => p.trim().toLowerCase());
  const type = params[0] ?? '';
  if (!DATA_URI_TYPES.has(type)) {
    throw new ImageInputError(`image data URI has type "${type || '(none)'}"; only data:image/jpeg, data:image/png and data:image/webp are accepted`);
  }
  if (!params.includes('base64')) {
    throw new ImageInputError(`image data URI must be base64-encoded, like data:${type};base64,<base64 bytes>`);
  }
  let payload = value.slice(comma + 1);
  // Some clients percent-encode the payload (%2B, %2F, %3D) as if it were a URL component.
  if (payload.includes('%')) {
    try {
      payload = decodeURIComponent(payload);
    } catch {
      // Left as is; the base64 check below reports it.
    }
  }
  const bytes = decodeBase64(payload, limits);
  if (bytes === null || bytes.length === 0) {
    throw new ImageInputError('image data URI does not contain valid base64 after "base64,"');
  }
  return bytes;
}
