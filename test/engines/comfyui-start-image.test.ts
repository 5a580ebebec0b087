import sharp from 'sharp';
import { describe, expect, it } from 'vitest';
import { startImage } from '../../src/engines/comfyui/start-image.js';

/** Which start image the comfyui engine uploads: the client's own file, or one it framed. */
const solid = (width: number, height: number) => sharp({ create: { width, height, channels: 3, background: { r: 200, g: 60, b: 20 } } });

async function shapeOf(bytes: Buffer): Promise<{ format?: string; width?: number; height?: number }> {
  const m = await sharp(bytes).metadata();
  return { format: m.format, width: m.width, height: m.height };
}

describe('comfyui start image', () => {
  it('uploads the client’s file as it came when the template’s node only has to enlarge it (PNG, JPEG, WebP)', async () => {
    for (const [mime, bytes] of [
      ['image/png', await solid(320, 180).png().toBuffer()],
      ['image/jpeg', await solid(832, 480).jpeg().toBuffer()],
      ['image/webp', await solid(640, 480).webp().toBuffer()],
    ] as const) {
      const start = await startImage({ bytes, mime }, 832, 480, true);
      expect(start.bytes.equals(bytes)).toBe(true);
      expect(start.mime).toBe(mime);
      expect(start.extension).toBe({ 'image/png': 'png', 'image/jpeg': 'jpg', 'image/webp': 'webp' }[mime]);
    }
  });

  it('frames (cover, centre) to the generation size when the image must shrink, so the graph never shrinks without a filter', async () => {
    const bytes = await solid(1280, 720).png().toBuffer();
    const start = await startImage({ bytes, mime: 'image/png' }, 832, 480, true);
    expect(start).toMatchObject({ mime: 'image/png', extension: 'png' });
    expect(await shapeOf(start.bytes)).toEqual({ format: 'png', width: 832, height: 480 });
    // Cover is judged per size: for 9:16 (480×832) the same image must grow (832/720), so it goes as it is.
    expect((await startImage({ bytes, mime: 'image/png' }, 480, 832, true)).bytes.equals(bytes)).toBe(true);
    const tall = await solid(1000, 1800).png().toBuffer();
    expect(await shapeOf((await startImage({ bytes: tall, mime: 'image/png' }, 480, 832, true)).bytes)).toEqual({ format: 'png', width: 480, height: 832 });
  });

  it('frames even a small image for an operator’s own graph, which may not frame it', async () => {
    const bytes = await solid(64, 36).png().toBuffer();
    expect(await shapeOf((await startImage({ bytes, mime: 'image/png' }, 832, 480, false)).bytes)).toEqual({ format: 'png', width: 832, height: 480 });
  });

  it('frames an animated or 16-bit image (LoadImage would read every frame); judges size after EXIF orientation', async () => {
    const a = await solid(64, 36).png().toBuffer();
    const b = await sharp({ create: { width: 64, height: 36, channels: 3, background: { r: 20, g: 60, b: 200 } } })
      .png()
      .toBuffer();
    const animated = await sharp([a, b], { join: { animated: true } })
      .webp({ loop: 0 })
      .toBuffer();
    expect((await sharp(animated).metadata()).pages).toBe(2);
    expect(await shapeOf((await startImage({ bytes: animated, mime: 'image/webp' }, 832, 480, true)).bytes)).toEqual({
      format: 'png',
      width: 832,
      height: 480,
    });
    const deep = await solid(64, 36).toColourspace('rgb16').png().toBuffer();
    expect((await startImage({ bytes: deep, mime: 'image/png' }, 832, 480, true)).bytes.equals(deep)).toBe(false);
    // Stored 600×1000 with orientation 6 (shown 1000×600): wider than 832 once turned, so it is framed, upright.
    const turned = await solid(600, 1000).jpeg().withMetadata({ orientation: 6 }).toBuffer();
    expect(await shapeOf((await startImage({ bytes: turned, mime: 'image/jpeg' }, 832, 480, true)).bytes)).toEqual({ format: 'png', width: 832, height: 480 });
    const small = await solid(300, 500).jpeg().withMetadata({ orientation: 6 }).toBuffer();
    expect((await startImage({ bytes: small, mime: 'image/jpeg' }, 832, 480, true)).bytes.equals(small)).toBe(true);
  });
});
