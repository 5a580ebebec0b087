import sharp from 'sharp';

/** The file uploaded to ComfyUI as the video's first frame. */
export interface StartImage {
  bytes: Buffer;
  mime: string;
  extension: string;
}

const EXTENSION: Record<string, string> = { 'image/png': 'png', 'image/jpeg': 'jpg', 'image/webp': 'webp' };

/**
 * The start image for a `width`×`height` generation, framed as docs/api.md §2 frames it (cover, centre
 * crop, EXIF orientation applied).
 *
 * When the graph frames the image itself (`graphFrames`: the built-in templates, whose
 * WanImageToVideo, Wan22ImageToVideoLatent and LTXVImgToVideo nodes cover-crop the start image to
 * their size with `common_upscale(…, "bilinear", "center")`, after LoadImage applied the EXIF
 * orientation) and framing would only enlarge it, the client's file is uploaded as it came: the
 * graph's bilinear enlargement is what ComfyUI's own examples do, and re-sampling it here costs
 * 10–20 ms of CPU on the request's path for no gain. An image that must shrink is framed here,
 * with a proper filter: the graph's bilinear shrink does not filter and would alias, and a
 * smaller upload is quicker to a remote GPU. So is an animated or more-than-8-bit image (LoadImage
 * would read every frame; the models take 8-bit pixels).
 */
export async function startImage(image: { bytes: Buffer; mime: string }, width: number, height: number, graphFrames: boolean): Promise<StartImage> {
  const extension = EXTENSION[image.mime];
  if (graphFrames && extension) {
    const meta = await sharp(image.bytes).metadata();
    const enlarges = Math.max(width / meta.autoOrient.width, height / meta.autoOrient.height) >= 1;
    if (enlarges && (meta.pages ?? 1) === 1 && meta.depth === 'uchar') return { bytes: image.bytes, mime: image.mime, extension };
  }
  const bytes = await sharp(image.bytes).rotate().resize(width, height, { fit: 'cover', position: 'centre' }).png({ compressionLevel: 1 }).toBuffer();
  return { bytes, mime: 'image/png', extension: 'png' };
}
