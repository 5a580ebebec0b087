import { describe, expect, it } from 'vitest';
import { checkImageBytes, DEFAULT_IMAGE_LIMITS, ImageInputError, type ImageLimits } from '../../src/core/image/index.js';
import { makeBmpHeader, makeImage, makePngBomb, makeRotatedJpeg } from './fixtures.js';

const limits = DEFAULT_IMAGE_LIMITS;

async function refusal(bytes: Buffer, l: ImageLimits = limits): Promise<ImageInputError> {
  const err: unknown = await checkImageBytes(bytes, l).then(
    () => new Error('expected the image to be refused'),
    (e: unknown) => e,
  );
  expect(err).toBeInstanceOf(ImageInputError);
  return err as ImageInputError;
}

describe('checkImageBytes', () => {
  it('has the documented defaults', () => {
    expect(DEFAULT_IMAGE_LIMITS).toEqual({ maxEncodedBytes: 20 * 1024 * 1024, maxPixels: 40_000_000 });
  });

  it.each([
    ['jpeg', 'image/jpeg'],
    ['png', 'image/png'],
    ['webp', 'image/webp'],
  ] as const)('accepts %s and reports its type and size', async (format, mime) => {
    const bytes = await makeImage(format, 64, 48);
    const image = await checkImageBytes(bytes, limits);
    expect(image).toEqual({ bytes, mime, width: 64, height: 48 });
  });

  it('reports EXIF-rotated dimensions as displayed', async () => {
    const image = await checkImageBytes(await makeRotatedJpeg(), limits);
    expect([image.width, image.height]).toEqual([200, 400]);
  });

  it('refuses GIF, BMP and TIFF by name', async () => {
    expect((await refusal(await makeImage('gif'))).message).toBe('image is not a JPEG, PNG or WebP image: it is a GIF image');
    expect((await refusal(makeBmpHeader())).message).toMatch(/not a JPEG, PNG or WebP image: it is a BMP image/);
    expect((await refusal(await makeImage('tiff'))).message).toMatch(/it is a TIFF image/);
  });

  it('refuses HTML and unknown bytes', async () => {
    expect((await refusal(Buffer.from('<!DOCTYPE html><html><body>hi</body></html>'))).message).toMatch(
      /not a JPEG, PNG or WebP image: it looks like an HTML page/,
    );
    expect((await refusal(Buffer.from([1, 2, 3, 4, 5, 6, 7, 8, 9]))).message).toMatch(/match none of these formats/);
  });

  it('refuses empty input', async () => {
    expect((await refusal(Buffer.alloc(0))).message).toMatch(/image is empty/);
  });

  it('refuses a file over the size limit before decoding it', async () => {
    const bytes = Buffer.concat([await makeImage('png', 16, 16), Buffer.alloc(30 * 1024 * 1024)]);
    const err = await refusal(bytes);
    expect(err.message).toMatch(/^image is 30 MB; the limit is 20 MB$/);
    const small = await refusal(await makeImage('png', 200, 200), { ...limits, maxEncodedBytes: 10 * 1024 });
    expect(small.message).toMatch(/^image is \d+ KB; the limit is 10 KB$/);
  });

  it('refuses an image over the pixel limit with its dimensions', async () => {
    const err = await refusal(await makeImage('jpeg', 1000, 600), { ...limits, maxPixels: 500_000 });
    expect(err.message).toBe('image is 600000 pixels (1000×600); the limit is 500000');
  });

  it.each(['jpeg', 'png', 'webp'] as const)('refuses a truncated %s', async (format) => {
    const whole = await makeImage(format, 256, 256);
    const err = await refusal(whole.subarray(0, Math.floor(whole.length * 0.7)));
    expect(err.message).toMatch(/damaged or truncated|cannot be read/);
  });

  it('refuses a JPEG cut just before its end marker', async () => {
    const whole = await makeImage('jpeg', 256, 256);
    const err = await refusal(whole.subarray(0, whole.length - 200));
    expect(err.message).toMatch(/^image is a damaged or truncated JPEG and cannot be decoded/);
  });

  it('refuses a 30000×30000 PNG bomb from its header, fast and without decoding it', async () => {
    const bomb = await makePngBomb(30_000);
    expect(bomb.length).toBeLessThan(2 * 1024 * 1024);
    const rssBefore = process.memoryUsage().rss;
    const started = performance.now();
    const err = await refusal(bomb);
    const elapsed = performance.now() - started;
    expect(err.message).toBe('image is 900000000 pixels (30000×30000); the limit is 40000000');
    expect(elapsed).toBeLessThan(1000);
    // Decoding even 1 byte per pixel would need 900 MB.
    expect(process.memoryUsage().rss - rssBefore).toBeLessThan(100 * 1024 * 1024);
  });

  it('wraps an unreadable header that sniffs as PNG', async () => {
    const fake = Buffer.concat([Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]), Buffer.alloc(40, 7)]);
    expect((await refusal(fake)).message).toMatch(/^image looks like a PNG but its header cannot be read/);
  });
});
