import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEFAULT_IMAGE_LIMITS, ImageInputError, loadImageField, type ImageLimits } from '../../src/core/image/index.js';
import { DEFAULT_FETCH_POLICY, type FetchPolicy } from '../../src/net/index.js';
import { makeImage, makeRotatedJpeg } from './fixtures.js';
import { startServer, type TestServer } from './test-server.js';

let server: TestServer;
let images: Record<'jpeg' | 'png' | 'webp', Buffer>;
let rotated: Buffer;

const LOOPBACK: FetchPolicy = { ...DEFAULT_FETCH_POLICY, allowList: ['127.0.0.1/32:*'] };
const limits = DEFAULT_IMAGE_LIMITS;

function opts(fetch: Partial<FetchPolicy> = {}, l: Partial<ImageLimits> = {}) {
  return { limits: { ...limits, ...l }, fetch: { ...LOOPBACK, ...fetch } };
}

async function refusal(value: string, o = opts()): Promise<string> {
  const err: unknown = await loadImageField(value, o).then(
    () => new Error('expected the image URL to be refused'),
    (e: unknown) => e,
  );
  expect(err).toBeInstanceOf(ImageInputError);
  return (err as ImageInputError).message;
}

beforeAll(async () => {
  images = { jpeg: await makeImage('jpeg'), png: await makeImage('png'), webp: await makeImage('webp') };
  rotated = await makeRotatedJpeg();
  const redirect =
    (to: () => string, status = 302) =>
    (_req: unknown, res: import('node:http').ServerResponse) =>
      res.writeHead(status, { location: to() }).end();
  server = await startServer({
    '/img.jpeg': (_q, r) => r.writeHead(200, { 'content-type': 'image/jpeg' }).end(images.jpeg),
    '/img.png': (_q, r) => r.writeHead(200, { 'content-type': 'image/png' }).end(images.png),
    '/img.webp': (_q, r) => r.writeHead(200, { 'content-type': 'image/webp' }).end(images.webp),
    // Content-Type lies in both directions: detection is by magic bytes.
    '/untyped': (_q, r) => r.writeHead(200, { 'content-type': 'application/octet-stream' }).end(images.png),
    '/html': (_q, r) => r.writeHead(200, { 'content-type': 'image/png' }).end('<!doctype html><html><body>Login</body></html>'),
    '/rotated.jpg': (_q, r) => r.writeHead(200).end(rotated),
    '/gif': (_q, r) => void makeImage('gif').then((gif) => r.writeHead(200, { 'content-type': 'image/gif' }).end(gif)),
    '/truncated.jpg': (_q, r) => r.writeHead(200).end(images.jpeg.subarray(0, images.jpeg.length - 100)),
    '/empty': (_q, r) => r.writeHead(200).end(),
    '/server-error': (_q, r) => r.writeHead(500).end('boom'),
    '/endless': (_q, r) => {
      // No Content-Length and no end: only a client that counts while streaming stops this.
      r.writeHead(200, { 'content-type': 'image/png' });
      r.write(images.png.subarray(0, 16));
      const chunk = Buffer.alloc(64 * 1024, 1);
      const pump = () => {
        while (!r.destroyed && r.write(chunk));
        if (!r.destroyed) r.once('drain', pump);
      };
      pump();
    },
    '/declared-big': (_q, r) => r.writeHead(200, { 'content-length': String(50 * 1024 * 1024) }).end(),
    '/hang': () => undefined,
    '/slow-body': (_q, r) => {
      r.writeHead(200, { 'content-type': 'image/png' });
      r.write(images.png.subarray(0, 100)); // headers and a little body, then silence
    },
    '/to-metadata': redirect(() => 'http://169.254.169.254/latest/meta-data/'),
    '/to-private': redirect(() => 'http://10.0.0.1/x.png', 301),
    '/to-loopback-ip': redirect(() => `${server.origin}/img.png`),
    '/to-file': redirect(() => 'file:///etc/passwd'),
    '/to-mapped': redirect(() => `http://[::ffff:127.0.0.1]:${server.port}/img.png`, 307),
    '/relative': redirect(() => '/img.webp', 308),
    '/r1': redirect(() => '/r2'),
    '/r2': redirect(() => '/r3'),
    '/r3': redirect(() => '/img.png'),
    '/r0': redirect(() => '/r1'),
  });
});

afterAll(async () => {
  await server.close();
});

describe('loadImageField with a URL', () => {
  it.each(['jpeg', 'png', 'webp'] as const)('fetches a %s from an allow-listed loopback server', async (format) => {
    const image = await loadImageField(`${server.origin}/img.${format}`, opts());
    expect(image.mime).toBe(`image/${format}`);
    expect(image.bytes.equals(images[format])).toBe(true);
    expect([image.width, image.height]).toEqual([64, 48]);
  });

  it('detects the format by content, not Content-Type', async () => {
    expect((await loadImageField(`${server.origin}/untyped`, opts())).mime).toBe('image/png');
    expect(await refusal(`${server.origin}/html`)).toBe(
      'image URL did not return a JPEG, PNG or WebP image: it looks like an HTML page (Content-Type: image/png)',
    );
  });

  it('reports EXIF-rotated dimensions', async () => {
    const image = await loadImageField(`${server.origin}/rotated.jpg`, opts());
    expect([image.width, image.height]).toEqual([200, 400]);
  });

  it('follows up to 3 redirects, relative ones included', async () => {
    expect((await loadImageField(`${server.origin}/r1`, opts())).mime).toBe('image/png');
    expect((await loadImageField(`${server.origin}/relative`, opts())).mime).toBe('image/webp');
  });

  it('refuses a fourth redirect', async () => {
    expect(await refusal(`${server.origin}/r0`)).toBe('could not fetch the image URL: more than 3 redirects; at most 3 are followed');
    expect(await refusal(`${server.origin}/r1`, opts({ maxRedirects: 2 }))).toMatch(/more than 2 redirects/);
  });

  it('names the HTTP status of a failed answer', async () => {
    expect(await refusal(`${server.origin}/missing.png`)).toMatch(/^image URL returned HTTP 404/);
    expect(await refusal(`${server.origin}/server-error`)).toMatch(/^image URL returned HTTP 500/);
  });

  it('refuses an empty body, a GIF and a truncated JPEG', async () => {
    expect(await refusal(`${server.origin}/empty`)).toBe('image URL returned an empty body');
    expect(await refusal(`${server.origin}/gif`)).toMatch(/did not return a JPEG, PNG or WebP image: it is a GIF image/);
    expect(await refusal(`${server.origin}/truncated.jpg`)).toMatch(/^image is a damaged or truncated JPEG/);
  });

  it('cuts off a body over the size limit while streaming', async () => {
    const message = await refusal(`${server.origin}/endless`, opts({}, { maxEncodedBytes: 256 * 1024 }));
    expect(message).toBe('image URL returned more than 256 KB; the limit is 256 KB');
    // Give the server a moment to notice the closed socket, then check it was stopped early.
    await new Promise((resolve) => setTimeout(resolve, 50));
    expect(server.written.get('/endless') ?? 0).toBeLessThan(8 * 1024 * 1024);
  });

  it('refuses a declared Content-Length over the limit without reading the body', async () => {
    expect(await refusal(`${server.origin}/declared-big`)).toMatch(/^image URL returned more than 20 MB; the limit is 20 MB$/);
  });

  it('times out on a server that never answers, within the total budget', async () => {
    const started = performance.now();
    expect(await refusal(`${server.origin}/hang`, opts({ timeoutMs: 300 }))).toBe('fetching the image URL timed out after 0.3 s');
    expect(performance.now() - started).toBeLessThan(2000);
  });

  it('counts the body read against the same timeout', async () => {
    expect(await refusal(`${server.origin}/slow-body`, opts({ timeoutMs: 300 }))).toMatch(/timed out after 0.3 s/);
  });

  it('has the documented fetch defaults', () => {
    expect(DEFAULT_FETCH_POLICY.timeoutMs).toBe(15_000);
    expect(DEFAULT_FETCH_POLICY.maxRedirects).toBe(3);
  });

  it('refuses loopback without an allow-list entry', async () => {
    const message = await refusal(`${server.origin}/img.png`, opts({ allowList: [] }));
    expect(message).toMatch(/^could not fetch the image URL: 127\.0\.0\.1 is a loopback address; only public internet addresses/);
  });

  it.each([
    ['http://169.254.169.254/latest/meta-data/', /169\.254\.169\.254 is the cloud metadata address/],
    ['http://[::ffff:127.0.0.1]/x.png', /::ffff:7f00:1 is a loopback address \(127\.0\.0\.1\) in IPv6 form/],
    ['http://[::1]/x.png', /::1 is a loopback address/],
    ['http://[::127.0.0.1]/x.png', /::7f00:1 is a loopback address \(127\.0\.0\.1\) in IPv6 form/],
    ['http://[64:ff9b::a9fe:a9fe]/x.png', /the cloud metadata address \(169\.254\.169\.254\) in IPv6 form/],
    ['http://10.0.0.1/x.png', /10\.0\.0\.1 is a private-network address/],
    ['http://0x7f.1/x.png', /127\.0\.0\.1 is a loopback address/],
    ['http://2130706433/x.png', /127\.0\.0\.1 is a loopback address/],
    ['http://0.0.0.0/x.png', /unspecified/],
    ['http://8.8.8.8@127.0.0.1/x.png', /127\.0\.0\.1 is a loopback address/],
    ['http://[fd00::1]/x.png', /unique local/],
  ])('refuses %s without connecting', async (url, reason) => {
    expect(await refusal(url, opts({ allowList: [] }))).toMatch(reason);
  });

  it('refuses a host name that resolves to loopback', async () => {
    const message = await refusal(`http://localhost:${server.port}/img.png`, opts({ allowList: [] }));
    expect(message).toMatch(/^could not fetch the image URL: host localhost resolves to (127\.0\.0\.1|::1), which is a loopback address/);
  });

  it('accepts a host name allow-listed by name', async () => {
    expect((await loadImageField(`http://localhost:${server.port}/img.png`, opts({ allowList: ['localhost:*'] }))).mime).toBe('image/png');
  });

  it('re-checks every redirect hop', async () => {
    expect(await refusal(`${server.origin}/to-metadata`)).toBe(
      'could not fetch the image URL: redirect to http://169.254.169.254/latest/meta-data/ refused: ' +
        '169.254.169.254 is the cloud metadata address; only public internet addresses can be fetched unless the operator allow-lists them',
    );
    expect(await refusal(`${server.origin}/to-private`)).toMatch(/redirect to http:\/\/10\.0\.0\.1\/x\.png refused: 10\.0\.0\.1 is a private-network address/);
    expect(await refusal(`${server.origin}/to-file`)).toMatch(/redirect to file:\/\/\/etc\/passwd refused: file: URLs are not allowed/);
    // Allow-listing the name "localhost" does not allow its address under another name.
    expect(await refusal(`http://localhost:${server.port}/to-loopback-ip`, opts({ allowList: ['localhost:*'] }))).toMatch(
      /redirect to http:\/\/127\.0\.0\.1:\d+\/img\.png refused: 127\.0\.0\.1 is a loopback address/,
    );
  });

  it('an allow-list entry with a port admits that port only: a redirect to another local service is refused', async () => {
    // `front` is the allow-listed service; it redirects to `server`, another port on the same address.
    const front = await startServer({
      '/img.png': (_q, r) => r.writeHead(200, { 'content-type': 'image/png' }).end(images.png),
      '/elsewhere': (_q, r) => r.writeHead(302, { location: `${server.origin}/img.png` }).end(),
    });
    try {
      const onlyFront = opts({ allowList: [`127.0.0.1:${front.port}`] });
      expect((await loadImageField(`${front.origin}/img.png`, onlyFront)).mime).toBe('image/png');
      expect(await refusal(`${front.origin}/elsewhere`, onlyFront)).toMatch(
        new RegExp(
          `redirect to .* refused: 127\\.0\\.0\\.1 is a loopback address allow-listed for other ports, not ${server.port} \\(.*add :${server.port} or :\\*\\)`,
        ),
      );
      // Without a port, an entry admits only 80 and 443, never an ephemeral test port.
      expect(await refusal(`${server.origin}/img.png`, opts({ allowList: ['127.0.0.1'] }))).toMatch(/allow-listed for other ports/);
    } finally {
      await front.close();
    }
  });

  it('applies the allow-list to the IPv6-mapped form of an allowed address', async () => {
    expect((await loadImageField(`${server.origin}/to-mapped`, opts())).mime).toBe('image/png');
  });

  it('names connection failures', async () => {
    const closed = await startServer({});
    const port = closed.port;
    await closed.close();
    expect(await refusal(`http://127.0.0.1:${port}/x.png`)).toBe(`could not fetch the image URL: connection to 127.0.0.1:${port} was refused`);
  });

  it('names unresolvable hosts', async () => {
    expect(await refusal('http://no-such-host.invalid/x.png', opts({ allowList: [] }))).toBe(
      'could not fetch the image URL: could not resolve host no-such-host.invalid',
    );
  });

  it('refuses URLs over 2,048 characters', async () => {
    expect(await refusal(`${server.origin}/img.png?${'a'.repeat(2048)}`)).toMatch(/URL is \d+ characters long; the limit is 2048/);
  });
});
