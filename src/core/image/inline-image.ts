import { ImageInputError } from './image-error.js';
import { formatMegabytes } from '../../net/format.js';
import type { ImageLimits } from './limits.js';

export const ACCEPTED_FORMS = 'send an http(s):// URL, a data:image/jpeg|png|webp;base64,... URI, or the base64-encoded bytes of a JPEG, PNG or WebP image';

const DATA_URI_TYPES = new Set(['image/jpeg', 'image/jpg', 'image/pjpeg', 'image/png', 'image/webp']);
const BASE64 = /^[A-Za-z0-9+/]*={0,2}$/;

function maxBase64Chars(limits: ImageLimits): number {
  return Math.ceil(limits.maxEncodedBytes / 3) * 4;
}

function tooLarge(chars: number, limits: ImageLimits): ImageInputError {
  const approx = Math.floor((chars * 3) / 4);
  return new ImageInputError(`image is about ${formatMegabytes(approx)} after base64 decoding; the limit is ${formatMegabytes(limits.maxEncodedBytes)}`);
}

/**
 * Decodes base64 strictly. Buffer.from(s, 'base64') silently skips bad characters, so the
 * text is validated first; whitespace (line-wrapped output of `base64`) and the URL-safe
 * alphabet are tolerated. Returns null when `text` is not base64 at all.
 */
export function decodeBase64(text: string, limits: ImageLimits): Buffer | null {
  // Cheap bound before any copying: base64 plus generous room for line breaks.
  if (text.length > maxBase64Chars(limits) * 1.1 + 4096) throw tooLarge(text.length, limits);
  const compact = text.replace(/\s+/g, '').replace(/-/g, '+').replace(/_/g, '/');
  if (compact.length === 0 || !BASE64.test(compact) || compact.length % 4 === 1) return null;
  if (compact.includes('=') && compact.length % 4 !== 0) return null;
  if (compact.length > maxBase64Chars(limits) + 4) throw tooLarge(compact.length, limits);
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
