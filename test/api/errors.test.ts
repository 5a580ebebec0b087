import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createAccount, createKey } from '../../src/core/api-keys.js';
import { startImageServer } from '../helpers/image-server.js';
import { pngBomb } from '../helpers/png-bomb.js';
import { samplePng } from '../helpers/png.js';
import { startTestServer, submit, type TestServer } from '../helpers/server.js';

const MODEL = 'veo-2-image2video';
let server: TestServer;
let guarded: TestServer; // no allow-list: the URL guard at full strength
let images: Awaited<ReturnType<typeof startImageServer>>;
let png: Buffer;
let dataUri: string;

beforeAll(async () => {
  png = await samplePng();
  dataUri = `data:image/png;base64,${png.toString('base64')}`;
  const jpeg = await sharp(png).jpeg().toBuffer();
  images = await startImageServer({
    '/ok.png': { type: 'image/png', body: png },
    '/page.html': { type: 'text/html', body: '<!doctype html><html><body>hello</body></html>' },
    '/truncated.jpg': { type: 'image/jpeg', body: jpeg.subarray(0, Math.floor(jpeg.length / 2)) },
    '/bomb.png': { type: 'image/png', body: pngBomb() },
    '/to-metadata': { status: 302, location: 'http://169.254.169.254/latest/meta-data/' },
    '/to-private': { status: 302, location: 'http://10.1.2.3/x.png' },
  });
  server = await startTestServer({ maxBodyBytes: 2 * 1024 * 1024, worker: { enabled: false } });
  guarded = await startTestServer({ image: { allowList: [] }, worker: { enabled: false } });
});
afterAll(async () => {
  await server?.stop();
  await guarded?.stop();
  await images?.close();
});

async function expectError(res: Response, status: number, code: string): Promise<Record<string, unknown>> {
  const body = (await res.json()) as Record<string, unknown>;
  expect({ status: res.status, code: body.code }).toEqual({ status, code });
  expect(typeof body.error).toBe('string');
  expect(res.headers.get('content-type')).toMatch(/^application\/json/);
  expect(res.headers.get('x-request-id')).toBeTruthy();
  return body;
}

describe('authentication (SPEC 1)', () => {
  it.each([
    ['missing', null],
    ['unknown', 'rl_not_a_real_key_at_all_000000000000'],
  ])('%s key is 401 with the exact body', async (_label, key) => {
    const res = await server.call(`/v2/${MODEL}`, { method: 'POST', key, body: '{}', headers: { 'content-type': 'application/json' } });
    expect(res.status).toBe(401);
    expect(await res.json()).toEqual({ error: 'Missing or invalid API key', code: 'unauthorized' });
  });

  it('accepts Authorization: Bearer', async () => {
    const res = await server.call('/v1/models', { key: null, headers: { authorization: `Bearer ${server.key}` } });
    expect(res.status).toBe(200);
  });

  it('a read-only key submitting work is 403', async () => {
    const account = await createAccount(server.services.store, 'reader', false);
    const { key } = await createKey(server.services.store, { accountId: account.id, scopes: ['read'] });
    const res = await server.call(`/v2/${MODEL}`, {
      method: 'POST',
      key,
      body: JSON.stringify({ image: dataUri }),
      headers: { 'content-type': 'application/json' },
    });
    await expectError(res, 403, 'forbidden');
  });

  it("another account's request is 404, exactly like an unknown id", async () => {
    const accepted = (await (await submit(server, `/v2/${MODEL}`, { image: dataUri })).json()) as { request_id: string };
    const other = await createAccount(server.services.store, 'other', false);
    const { key } = await createKey(server.services.store, { accountId: other.id, scopes: ['generate', 'read'] });
    for (const path of [`/v2/requests/${accepted.request_id}/status`, `/v2/requests/${accepted.request_id}`, `/v1/requests/${accepted.request_id}`]) {
      const res = await server.call(path, { key });
      expect(res.status).toBe(404);
      expect(await res.json()).toEqual({ error: 'Request not found', code: 'not_found' });
    }
  });
});

describe('routing errors (SPEC 6)', () => {
  it('unknown model is 404 model_not_found on v1 and v2', async () => {
    for (const v of ['v1', 'v2']) {
      const res = await submit(server, `/${v}/veo-9`, { image: dataUri });
      expect(res.status).toBe(404);
      expect(await res.json()).toEqual({ error: 'Model not found: veo-9', code: 'model_not_found' });
    }
  });

  it('unknown request id is 404 not_found on status and result', async () => {
    for (const path of ['/v2/requests/nope/status', '/v2/requests/nope', '/v1/requests/nope']) {
      const res = await server.call(path);
      expect(res.status).toBe(404);
      expect(await res.json()).toEqual({ error: 'Request not found', code: 'not_found' });
    }
  });

  it('an unknown route is a JSON 404, not HTML', async () => {
    await expectError(await server.call('/nowhere'), 404, 'not_found');
  });
});

describe('body errors', () => {
  it('malformed JSON is 400', async () => {
    const res = await server.call(`/v2/${MODEL}`, { method: 'POST', body: '{"image": ', headers: { 'content-type': 'application/json' } });
    const body = await expectError(res, 400, 'invalid_request');
    expect(body.error).toMatch(/Malformed JSON/);
  });

  it('a JSON array is 400', async () => {
    await expectError(await submit(server, `/v2/${MODEL}`, [1, 2]), 400, 'invalid_request');
  });

  it('a body that is neither JSON nor multipart is 415', async () => {
    const res = await server.call(`/v2/${MODEL}`, { method: 'POST', body: 'image=x', headers: { 'content-type': 'text/plain' } });
    await expectError(res, 415, 'unsupported_media_type');
  });

  it('a body over the limit is 413', async () => {
    const res = await submit(server, `/v2/${MODEL}`, { image: 'A'.repeat(3 * 1024 * 1024) });
    await expectError(res, 413, 'payload_too_large');
  });

  it('multipart with the image as a file part is accepted', async () => {
    const form = new FormData();
    form.set('image', new Blob([new Uint8Array(png)], { type: 'image/png' }), 'photo.png');
    form.set('duration', '7');
    const res = await server.call(`/v2/${MODEL}`, { method: 'POST', body: form });
    expect(res.status).toBe(200);
  });
});

describe('parameter validation (SPEC 2)', () => {
  it.each([
    ['duration', 4],
    ['duration', 9],
    ['duration', 5.5],
    ['duration', 'abc'],
    ['aspect_ratio', '4:3'],
    ['seed', -1],
    ['seed', 2 ** 32],
    ['seed', 1.5],
    ['prompt', 'x'.repeat(2001)],
  ])('%s = %j is 400 naming the field', async (field, value) => {
    const body = await expectError(await submit(server, `/v2/${MODEL}`, { image: dataUri, [field]: value }), 400, 'invalid_request');
    expect(body.details).toEqual([{ field, message: expect.any(String) }]);
    expect(body.error).toContain(field);
  });

  it('lists every violated field at once', async () => {
    const body = await expectError(await submit(server, `/v2/${MODEL}`, { duration: 4, aspect_ratio: '1:1', seed: -3 }), 400, 'invalid_request');
    expect((body.details as Array<{ field: string }>).map((d) => d.field).sort()).toEqual(['aspect_ratio', 'duration', 'image', 'seed']);
  });

  it('treats null prompt, duration and aspect_ratio as absent (the defaults), like seed', async () => {
    const res = await submit(server, `/v2/${MODEL}`, { image: dataUri, prompt: null, duration: null, aspect_ratio: null, seed: null });
    expect(res.status).toBe(200);
    const id = ((await res.json()) as { request_id: string }).request_id;
    expect((await server.services.store.getRequest(id))?.params).toMatchObject({ prompt: '', duration: 5, aspect_ratio: '16:9' });
  });

  it('accepts an integer-valued string duration and bare base64', async () => {
    const res = await submit(server, `/v2/${MODEL}`, { image: png.toString('base64'), duration: '8' });
    expect(res.status).toBe(200);
  });
});

describe('image problems are 400 at submit, naming the problem', () => {
  const cases: Array<[string, () => unknown, RegExp]> = [
    ['missing', () => undefined, /required/],
    ['empty', () => '', /required/],
    ['neither URL nor base64', () => 'hello world!', /URL|base64/i],
    ['a URL that 404s', () => `${images.url}/missing.png`, /404/],
    ['a URL to HTML', () => `${images.url}/page.html`, /JPEG|PNG|WebP|image/i],
    ['a truncated JPEG', () => `${images.url}/truncated.jpg`, /truncat|corrupt|decode|incomplete|premature/i],
    ['a 30,000×30,000 PNG bomb', () => `${images.url}/bomb.png`, /pixels/i],
    ['a file:// URL', () => 'file:///etc/passwd', /http/i],
  ];
  it.each(cases)('%s', async (_label, value, message) => {
    const started = Date.now();
    const body = await expectError(await submit(server, `/v2/${MODEL}`, { image: value() }), 400, 'invalid_request');
    const detail = (body.details as Array<{ field: string; message: string }>).find((d) => d.field === 'image');
    expect(detail?.message).toMatch(message);
    expect(Date.now() - started).toBeLessThan(5000);
  });
});

describe('the URL guard refuses internal addresses (no allow-list)', () => {
  it.each([
    ['loopback', () => `${images.url}/ok.png`],
    ['cloud metadata', () => 'http://169.254.169.254/latest/meta-data/'],
    ['IPv6-mapped loopback', () => `http://[::ffff:127.0.0.1]:${new URL(images.url).port}/ok.png`],
    ['a private address', () => 'http://10.0.0.1/x.png'],
    ['localhost by name', () => `http://localhost:${new URL(images.url).port}/ok.png`],
  ])('%s', async (_label, url) => {
    const body = await expectError(await submit(guarded, `/v2/${MODEL}`, { image: url() }), 400, 'invalid_request');
    expect(JSON.stringify(body.details)).toMatch(/image/);
  });

  it('a redirect from an allowed host to a private address is refused', async () => {
    for (const path of ['/to-metadata', '/to-private']) {
      const body = await expectError(await submit(server, `/v2/${MODEL}`, { image: `${images.url}${path}` }), 400, 'invalid_request');
      expect(JSON.stringify(body.details)).toMatch(/image/);
    }
  });

  it('the allow-list lets the loopback image through', async () => {
    expect((await submit(server, `/v2/${MODEL}`, { image: `${images.url}/ok.png` })).status).toBe(200);
  });
});

describe('emulator faults are off unless the operator enables them', () => {
  it('x-reelay-fault is a 400 that says how to enable it', async () => {
    const body = await expectError(await submit(server, `/v2/${MODEL}`, { image: dataUri }, { 'x-reelay-fault': 'engine_error' }), 400, 'invalid_request');
    expect(body.error).toMatch(/REELAY_EMULATOR_FAULTS/);
  });
});
