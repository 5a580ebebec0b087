import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { request } from 'undici';
import { createGuardedDispatcher, DEFAULT_FETCH_POLICY, guardedFetch, GuardedFetchError, type FetchPolicy } from '../../src/net/index.js';
import { startServer, type TestServer } from './test-server.js';

let a: TestServer;
let b: TestServer;
const policy: FetchPolicy = { ...DEFAULT_FETCH_POLICY, allowList: ['127.0.0.1:*'] };

function echo(req: import('node:http').IncomingMessage, res: import('node:http').ServerResponse): void {
  let body = '';
  req.on('data', (chunk: Buffer) => (body += chunk.toString()));
  req.on('end', () => {
    res.writeHead(200, { 'content-type': 'application/json' });
    res.end(JSON.stringify({ method: req.method, body, auth: req.headers.authorization ?? null, ua: req.headers['user-agent'] }));
  });
}

async function failure(p: Promise<unknown>): Promise<GuardedFetchError> {
  const err: unknown = await p.then(
    () => new Error('expected the fetch to fail'),
    (e: unknown) => e,
  );
  expect(err).toBeInstanceOf(GuardedFetchError);
  return err as GuardedFetchError;
}

beforeAll(async () => {
  b = await startServer({ '/echo': echo });
  a = await startServer({
    '/echo': echo,
    '/see-other': (_q, r) => r.writeHead(303, { location: '/echo' }).end(),
    '/found': (_q, r) => r.writeHead(302, { location: '/echo' }).end(),
    '/temporary': (_q, r) => r.writeHead(307, { location: '/echo' }).end(),
    '/cross-origin': (_q, r) => r.writeHead(307, { location: `${b.origin}/echo` }).end(),
    '/big-error': (_q, r) => r.writeHead(500).end(Buffer.alloc(1024 * 1024, 65)),
  });
});

afterAll(async () => {
  await a.close();
  await b.close();
});

describe('guardedFetch', () => {
  it('sends the policy user agent and returns status, body and final URL', async () => {
    const res = await guardedFetch(`${a.origin}/echo`, {}, { ...policy, userAgent: 'test-agent/1' }, 1024);
    expect(res.status).toBe(200);
    expect(res.url).toBe(`${a.origin}/echo`);
    expect(JSON.parse(res.body.toString())).toMatchObject({ method: 'GET', ua: 'test-agent/1' });
  });

  it('turns a POST into a bodiless GET on 303 and 302, and keeps it on 307', async () => {
    const post = { method: 'POST', body: '{"x":1}', headers: { 'content-type': 'application/json' } };
    for (const path of ['/see-other', '/found']) {
      const res = await guardedFetch(`${a.origin}${path}`, post, policy, 1024);
      expect(JSON.parse(res.body.toString())).toMatchObject({ method: 'GET', body: '' });
      expect(res.redirects).toBe(1);
    }
    const kept = await guardedFetch(`${a.origin}/temporary`, post, policy, 1024);
    expect(JSON.parse(kept.body.toString())).toMatchObject({ method: 'POST', body: '{"x":1}' });
  });

  it('drops Authorization when a redirect leaves the origin', async () => {
    const init = { headers: { Authorization: 'Bearer secret' } };
    const same = await guardedFetch(`${a.origin}/temporary`, init, policy, 1024);
    expect(JSON.parse(same.body.toString())).toMatchObject({ auth: 'Bearer secret' });
    const other = await guardedFetch(`${a.origin}/cross-origin`, init, policy, 1024);
    expect(JSON.parse(other.body.toString())).toMatchObject({ auth: null });
  });

  it('returns a non-2xx answer with at most 64 KiB of its body', async () => {
    const res = await guardedFetch(`${a.origin}/big-error`, {}, policy, 10 * 1024 * 1024);
    expect(res.status).toBe(500);
    expect(res.body.length).toBe(64 * 1024);
  });

  it('throws GuardedFetchError with a reason for each kind of refusal', async () => {
    expect((await failure(guardedFetch('ftp://example.com/', {}, policy, 1))).reason).toBe('scheme');
    expect((await failure(guardedFetch('not a url', {}, policy, 1))).reason).toBe('bad_url');
    expect((await failure(guardedFetch('http://10.0.0.1/', {}, policy, 1))).reason).toBe('forbidden_address');
    expect((await failure(guardedFetch(`${a.origin}/echo`, {}, policy, 5))).reason).toBe('too_large');
    expect((await failure(guardedFetch(`${a.origin}/found`, {}, { ...policy, maxRedirects: 0 }, 1024))).reason).toBe('too_many_redirects');
  });

  it('honours a caller signal', async () => {
    const controller = new AbortController();
    controller.abort();
    expect((await failure(guardedFetch(`${a.origin}/echo`, { signal: controller.signal }, policy, 1024))).reason).toBe('aborted');
  });
});

describe('createGuardedDispatcher', () => {
  // These go straight through undici, without guardedFetch's URL pre-check: the dispatcher
  // alone must refuse, which is what protects webhook delivery and DNS answers that change.
  it('refuses a host name that resolves to a forbidden address, at connect time', async () => {
    const dispatcher = createGuardedDispatcher({ allowList: [] });
    try {
      const err = await failure(request(`http://localhost:${a.port}/echo`, { dispatcher }));
      expect(err.reason).toBe('forbidden_address');
      expect(err.message).toMatch(/^host localhost resolves to .*, which is a loopback address/);
    } finally {
      await dispatcher.close();
    }
  });

  it('refuses a literal forbidden IP even though Node skips the lookup for it', async () => {
    const dispatcher = createGuardedDispatcher({ allowList: [] });
    try {
      const err = await failure(request(`${a.origin}/echo`, { dispatcher }));
      expect(err.message).toMatch(/^127\.0\.0\.1 is a loopback address/);
    } finally {
      await dispatcher.close();
    }
  });

  it('connects when the allow-list permits the address', async () => {
    const dispatcher = createGuardedDispatcher({ allowList: ['127.0.0.0/8:*', '::1/128:*'] });
    try {
      for (const url of [`${a.origin}/echo`, `http://localhost:${a.port}/echo`]) {
        const res = await request(url, { dispatcher });
        expect(res.statusCode).toBe(200);
        await res.body.text();
      }
    } finally {
      await dispatcher.close();
    }
  });
});
