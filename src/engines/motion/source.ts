import sharp from 'sharp';
import { EngineError } from '../engine.js';
import type { Size } from './camera.js';
import type { Working } from './framing.js';

/**
 * Decoding the input image: once for its size, once (streaming, inside libvips) into the
 * working image. Orientation follows EXIF, transparency is flattened onto mid-grey (the
 * encoder has no alpha; black would read as a hole), and any colour model or bit depth
 * arrives as 8-bit sRGB.
 */

/** The neutral grey behind transparent pixels. */
export const BACKDROP = { r: 128, g: 128, b: 128 } as const;

/** The upright size of an image, as shown after EXIF orientation. */
export async function sourceSize(bytes: Buffer): Promise<Size> {
  try {
    const meta = await sharp(bytes).metadata();
    const { width, height } = meta.autoOrient;
    if (!width || !height) throw new Error('image has no dimensions');
    return { width, height };
  } catch (err) {
    throw undecodable(err);
  }
}

/** Packed 8-bit RGB of the working image. */
export interface WorkingRgb {
  data: Buffer;
  width: number;
  height: number;
}

export async function decodeWorking(bytes: Buffer, working: Working): Promise<WorkingRgb> {
  try {
    const { data, info } = await sharp(bytes, { sequentialRead: true })
      .rotate()
      .extract(working.region)
      .resize(working.width, working.height, { fit: 'fill', kernel: 'lanczos3' })
      .flatten({ background: BACKDROP })
      .toColourspace('srgb')
      .raw({ depth: 'uchar' })
      .toBuffer({ resolveWithObject: true });
    if (info.channels !== 3 || info.width !== working.width || info.height !== working.height) {
      throw new Error(`unexpected decode ${info.width}x${info.height}x${info.channels}`);
    }
    return { data, width: info.width, height: info.height };
  } catch (err) {
    throw undecodable(err);
  }
}

function undecodable(err: unknown): EngineError {
  const reason = err instanceof Error ? err.message : String(err);
  return new EngineError('invalid_input', `cannot decode the input image: ${reason}`, { cause: err });
}
