import sharp, { type Metadata } from 'sharp';
import { ImageInputError } from './image-error.js';
import { formatMegabytes } from '../../net/format.js';
import type { ImageLimits } from './limits.js';
import { sniffImage, type ImageMime } from './sniff.js';

// libvips keeps recent operations and their pixels for reuse (up to 50 MB by default). Reelay
// decodes each image once, at submit and again in a render, so the cache only holds memory after
// a burst of large images; it is off for the whole process.
sharp.cache(false);

export interface AcceptedImage {
  /** The bytes as received; EXIF orientation is not applied to them. */
  bytes: Buffer;
  mime: ImageMime;
  /** Size as displayed, i.e. after EXIF orientation (a portrait phone photo is taller than wide). */
  width: number;
  height: number;
}

const FORMAT_OF: Record<ImageMime, string> = { 'image/jpeg': 'jpeg', 'image/png': 'png', 'image/webp': 'webp' };
const NAME_OF: Record<ImageMime, string> = { 'image/jpeg': 'JPEG', 'image/png': 'PNG', 'image/webp': 'WebP' };
// Decoding to a thumbnail still reads every byte of the file (so truncation is noticed)
// while keeping memory small: JPEG and WebP shrink on load, PNG is streamed row by row.
const PROBE_SIZE = 16;

function firstLine(err: unknown): string {
  const text = err instanceof Error ? err.message : String(err);
  return text.split('\n')[0]?.trim() ?? text;
}

/**
 * Checks encoded image bytes (a multipart upload, or what `loadImageField` fetched or
 * decoded): size, format by magic bytes, dimensions from the header before any pixel is
 * decoded (so a decompression bomb costs nothing), then one full decode so a truncated or
 * corrupt file is refused now rather than failing later in an engine.
 * Throws ImageInputError, and nothing else, for every problem with the image.
 */
export async function checkImageBytes(bytes: Buffer, limits: ImageLimits): Promise<AcceptedImage> {
  if (bytes.length === 0) throw new ImageInputError('image is empty (0 bytes); send a JPEG, PNG or WebP image');
  if (bytes.length > limits.maxEncodedBytes) {
    throw new ImageInputError(`image is ${formatMegabytes(bytes.length)}; the limit is ${formatMegabytes(limits.maxEncodedBytes)}`);
  }
  const sniffed = sniffImage(bytes);
  if (sniffed.mime === null) throw new ImageInputError(`image is not a JPEG, PNG or WebP image: ${sniffed.description}`);
  const { mime } = sniffed;
  const name = NAME_OF[mime];

  let meta: Metadata;
  try {
    // The header alone; the pixel limit is ours to enforce below, with a better message.
    meta = await sharp(bytes, { limitInputPixels: false }).metadata();
  } catch (err) {
    throw new ImageInputError(`image looks like a ${name} but its header cannot be read (${firstLine(err)})`, { cause: err });
  }
  if (meta.format !== FORMAT_OF[mime]) {
    throw new ImageInputError(`image looks like a ${name} but decodes as ${meta.format}; only JPEG, PNG and WebP images are accepted`);
  }
  const pixels = meta.width * meta.height;
  if (!(pixels > 0)) throw new ImageInputError(`image has no pixels (${meta.width}×${meta.height})`);
  if (pixels > limits.maxPixels) {
    throw new ImageInputError(`image is ${pixels} pixels (${meta.width}×${meta.height}); the limit is ${limits.maxPixels}`);
  }

  try {
    await sharp(bytes, { limitInputPixels: limits.maxPixels, failOn: 'error', sequentialRead: true })
      .resize(PROBE_SIZE, PROBE_SIZE, { fit: 'inside' })
      .raw()
      .toBuffer();
  } catch (err) {
    throw new ImageInputError(`image is a damaged or truncated ${name} and cannot be decoded (${firstLine(err)})`, { cause: err });
  }
  return { bytes, mime, width: meta.autoOrient.width, height: meta.autoOrient.height };
}
