import { describe, expect, it } from 'vitest';
import { DEFAULT_IMAGE_LIMITS, ImageInputError, loadImageField, type ImageLimits } from '../../src/core/image/index.js';
import { DEFAULT_FETCH_POLICY, type FetchPolicy } from '../../src/net/index.js';
import { makeImage, makeRotatedJpeg } from './fixtures.js';

const opts = { limits: DEFAULT_IMAGE_LIMITS, fetch: DEFAULT_FETCH_POLICY };

async function refusal(value: string, o: { limits: ImageLimits; fetch: FetchPolicy } = opts): Promise<string> {
  const err: unknown = await loadImageField(value, o).then(
    () => new Error('expected the image field to be refused'),
    (e: unknown) => e,
  );
  expect(err).toBeInstanceOf(ImageInputError);
  return (err as ImageInputError).message;
}

const THREE_FORMS = /http\(s\):\/\/ URL, a data:image\/jpeg\|png\|webp;base64,\.\.\. URI, or the base64-encoded bytes/;

describe('loadImageField with inline data', () => {
  it.each([
    ['jpeg', 'image/jpeg'],
    ['png', 'image/png'],
    ['webp', 'image/webp'],
  ] as const)('accepts a data:%s URI', async (format, mime) => {
    const bytes = await makeImage(format, 30, 20);
    const image = await loadImageField(`data:${mime};base64,${bytes.toString('base64')}`, opts);
    expect(image.mime).toBe(mime);
    expect(image.bytes.equals(bytes)).toBe(true);
    expect([image.width, image.height]).toEqual([30, 20]);
  });

  it.each(['jpeg', 'png', 'webp'] as const)('accepts bare base64 of a %s', async (format) => {
    const bytes = await makeImage(format, 30, 20);
    const image = await loadImageField(bytes.toString('base64'), opts);
    expect(image.bytes.equals(bytes)).toBe(true);
  });

  it('tolerates line breaks, surrounding spaces and the URL-safe alphabet', async () => {
    const bytes = await makeImage('png', 40, 40);
    const wrapped = (bytes.toString('base64').match(/.{1,76}/g) ?? []).join('\r\n');
    expect((await loadImageField(`  ${wrapped}\n`, opts)).bytes.equals(bytes)).toBe(true);
    const urlSafe = bytes.toString('base64url');
    expect(urlSafe).toMatch(/[-_]/); // the test is only meaningful if the alphabets differ here
    expect((await loadImageField(urlSafe, opts)).bytes.equals(bytes)).toBe(true);
  });

  it('accepts image/jpg, upper-case types, extra parameters and a percent-encoded payload', async () => {
    const bytes = await makeImage('jpeg', 30, 20);
    const b64 = bytes.toString('base64');
    expect((await loadImageField(`data:image/jpg;base64,${b64}`, opts)).mime).toBe('image/jpeg');
    expect((await loadImageField(`DATA:IMAGE/JPEG;name=x.jpg;BASE64,${b64}`, opts)).mime).toBe('image/jpeg');
    expect((await loadImageField(`data:image/jpeg;base64,${encodeURIComponent(b64)}`, opts)).mime).toBe('image/jpeg');
  });

  it('reports EXIF-rotated dimensions', async () => {
    const image = await loadImageField((await makeRotatedJpeg()).toString('base64'), opts);
    expect([image.width, image.height]).toEqual([200, 400]);
  });

  it('refuses an empty or blank string, explaining the three accepted forms', async () => {
    expect(await refusal('')).toMatch(/^image is empty; /);
    expect(await refusal('   \n')).toMatch(THREE_FORMS);
  });

  it('refuses strings that are neither URL nor base64', async () => {
    for (const value of ['hello world!', 'example.com/cat.png', '://nothing', 'abcde']) {
      const message = await refusal(value);
      expect(message).toMatch(/^image is neither a URL, a data URI nor valid base64; /);
      expect(message).toMatch(THREE_FORMS);
    }
  });

  it('refuses base64 that decodes to something other than an image', async () => {
    expect(await refusal(Buffer.from('<html><body>nope</body></html>').toString('base64'))).toMatch(
      /not a JPEG, PNG or WebP image: it looks like an HTML page/,
    );
  });

  it.each(['file:///etc/passwd', 'ftp://example.com/a.png', 'gopher://example.com/', 'javascript:alert(1)'])('refuses %s by its scheme', async (value) => {
    const message = await refusal(value);
    expect(message).toMatch(/^image URL scheme "[a-z]+:" is not allowed; /);
    expect(message).toMatch(THREE_FORMS);
  });

  it('refuses data URIs of other types, without base64 or with bad base64', async () => {
    const gif = (await makeImage('gif')).toString('base64');
    expect(await refusal(`data:image/gif;base64,${gif}`)).toMatch(/type "image\/gif"; only data:image\/jpeg, data:image\/png and data:image\/webp/);
    expect(await refusal('data:text/html;base64,PGh0bWw+')).toMatch(/type "text\/html"/);
    expect(await refusal('data:image/png,rawbytes')).toMatch(/must be base64-encoded/);
    expect(await refusal('data:image/png;base64,***')).toMatch(/does not contain valid base64/);
    expect(await refusal('data:image/png;base64')).toMatch(/no comma/);
  });

  it('trusts magic bytes over the data URI label', async () => {
    const png = await makeImage('png', 10, 10);
    expect((await loadImageField(`data:image/jpeg;base64,${png.toString('base64')}`, opts)).mime).toBe('image/png');
  });

  it('refuses base64 over the size limit, and absurdly long strings before decoding', async () => {
    const small = { ...opts, limits: { ...DEFAULT_IMAGE_LIMITS, maxEncodedBytes: 10 * 1024 } };
    const bytes = await makeImage('png', 200, 200);
    expect(bytes.length).toBeGreaterThan(10 * 1024);
    expect(await refusal(bytes.toString('base64'), small)).toMatch(/^image is about \d+ KB after base64 decoding; the limit is 10 KB$/);
    expect(await refusal(`data:image/png;base64,${bytes.toString('base64')}`, small)).toMatch(/the limit is 10 KB$/);

    const huge = 'A'.repeat(40 * 1024 * 1024);
    const started = performance.now();
    expect(await refusal(huge)).toMatch(/^image is about 30 MB after base64 decoding; the limit is 20 MB$/);
    // Generous: CI machines run many test files at once; decoding 40 MB of base64 and then sharp would still take longer.
    expect(performance.now() - started).toBeLessThan(1500);
  });

  it('judges an oversized payload without copying it: same message, plain, line-wrapped or URL-safe', async () => {
    // 21 MB: over the 20 MB limit but under the cheap length bound, so the exact count decides.
    const b64 = Buffer.alloc(21 * 1024 * 1024, 0xfb).toString('base64');
    const wrapped = (b64.match(/.{1,76}/g) ?? []).join('\n');
    const urlSafe = b64.replace(/\+/g, '-').replace(/\//g, '_');
    expect(urlSafe).toMatch(/[-_]/);
    // Before, each refusal first built the compacted text (three String.prototype.replace copies of
    // 28 M characters); now nothing is copied unless the payload is within the limit.
    const replace = String.prototype.replace;
    let bigCopies = 0;
    String.prototype.replace = function (this: string, ...args: Parameters<typeof replace>) {
      if (this.length > 1024 * 1024) bigCopies++;
      return replace.apply(this, args);
    } as typeof replace;
    try {
      for (const payload of [b64, wrapped, urlSafe, `data:image/png;base64,${wrapped}`]) {
        expect(await refusal(payload)).toBe('image is about 21 MB after base64 decoding; the limit is 20 MB');
      }
      expect(await refusal(`data:image/png;base64,${wrapped}!!!`)).toBe('image data URI does not contain valid base64 after "base64,"');
      expect(await refusal(`${b64}=A`)).toMatch(/^image is neither a URL, a data URI nor valid base64/);
    } finally {
      String.prototype.replace = replace;
    }
    expect(bigCopies).toBe(0);
  });

  it('decodes padded, unpadded and line-wrapped URL-safe base64 to the same bytes', async () => {
    const bytes = await makeImage('png', 40, 30);
    const b64 = bytes.toString('base64');
    const urlSafe = (
      b64
        .replace(/\+/g, '-')
        .replace(/\//g, '_')
        .match(/.{1,60}/g) ?? []
    ).join('\r\n');
    for (const payload of [b64, b64.replace(/=+$/, ''), urlSafe, `data:image/png;base64,${urlSafe}`]) {
      expect((await loadImageField(payload, opts)).bytes.equals(bytes)).toBe(true);
    }
  });
});
