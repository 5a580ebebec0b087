import { mkdtemp, rm } from 'node:fs/promises';
import { connect } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Writable } from 'node:stream';
import { pino } from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseConfig } from '../../src/config.js';
import { startServer, type RunningServer } from '../../src/server.js';

/**
 * What Node's HTTP parser refuses never reaches the app; those answers must still be JSON errors
 * with an X-Request-Id. And a client hanging up mid-upload is an info line, not an error.
 */
let server: RunningServer;
const logs: Array<{ level: number; msg: string }> = [];
let port: number;
let dataDir: string;

beforeAll(async () => {
  const sink = new Writable({
    write(chunk: Buffer, _enc, done) {
      for (const line of chunk.toString().split('\n').filter(Boolean)) logs.push(JSON.parse(line) as { level: number; msg: string });
      done();
    },
  });
  const config = parseConfig({
    host: '127.0.0.1',
    port: 0,
    dataDir: (dataDir = await mkdtemp(join(tmpdir(), 'reelay-malformed-'))),
    bootstrapKey: 'rl_malformed_test_key_0123456789',
    worker: { enabled: false },
  });
  server = await startServer(config, pino({ level: 'info' }, sink));
  port = server.port;
});
afterAll(async () => {
  await server?.close();
  await rm(dataDir, { recursive: true, force: true });
});

/** Sends raw bytes and resolves with everything the server answered before closing. */
function raw(request: string | Buffer): Promise<string> {
  return new Promise((resolve, reject) => {
    const socket = connect(port, '127.0.0.1');
    let answer = '';
    socket.on('data', (d: Buffer) => (answer += d.toString('latin1')));
    socket.on('end', () => resolve(answer));
    socket.on('error', reject);
    socket.write(request);
  });
}

function parse(answer: string): { status: number; headers: Record<string, string>; body: unknown } {
  const [head = '', body = ''] = answer.split('\r\n\r\n');
  const [statusLine = '', ...lines] = head.split('\r\n');
  const headers = Object.fromEntries(lines.map((l) => [l.slice(0, l.indexOf(':')).toLowerCase(), l.slice(l.indexOf(':') + 1).trim()]));
  return { status: Number(statusLine.split(' ')[1]), headers, body: JSON.parse(body) };
}

describe('requests the HTTP parser refuses', () => {
  const cases: Array<[string, string | Buffer, number, string]> = [
    ['a NUL in a header', Buffer.from('GET /v1/models HTTP/1.1\r\nHost: x\r\nX-Bad: a\0b\r\n\r\n', 'latin1'), 400, 'invalid_request'],
    ['headers over 16 KB', `GET /v1/models HTTP/1.1\r\nHost: x\r\nX-Big: ${'a'.repeat(17 * 1024)}\r\n\r\n`, 431, 'headers_too_large'],
    ['a malformed request line', 'GET /v1/models HTTP/9\r\nHost: x\r\n\r\n', 400, 'invalid_request'],
    ['a bad chunked body', 'POST /v2/veo-2-image2video HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\nzz\r\n', 400, 'invalid_request'],
    ['CONNECT', 'CONNECT 127.0.0.1:22 HTTP/1.1\r\nHost: 127.0.0.1:22\r\n\r\n', 405, 'method_not_allowed'],
    // Parsed by Node, but no URL can be made of them (found by `npm run attack`).
    ['an asterisk target', 'OPTIONS * HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n', 400, 'invalid_request'],
    ['a backslash in the path', 'GET /v2\\requests/x/status HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n', 400, 'invalid_request'],
    ['a Host that is not a host', 'GET /v1/models HTTP/1.1\r\nHost: a b\r\nConnection: close\r\n\r\n', 400, 'invalid_request'],
    ['a Host with a path', 'GET /v1/models HTTP/1.1\r\nHost: evil.example/../x\r\nConnection: close\r\n\r\n', 400, 'invalid_request'],
  ];
  for (const [what, request, status, code] of cases) {
    it(`${what}: ${status} JSON {error, code} with X-Request-Id`, async () => {
      const answer = parse(await raw(request));
      expect(answer.status).toBe(status);
      expect(answer.headers['content-type']).toBe('application/json');
      expect(answer.headers['x-request-id']).toMatch(/^[0-9a-f-]{36}$/);
      expect(answer.body).toEqual({ error: expect.any(String), code });
    });
  }
});

describe('a client that hangs up mid-upload', () => {
  it('is logged at info with the call id, never at error', async () => {
    const socket = connect(port, '127.0.0.1');
    await new Promise<void>((r) => socket.once('connect', () => r()));
    socket.write(
      'POST /v2/veo-2-image2video HTTP/1.1\r\nHost: x\r\nx-api-key: rl_malformed_test_key_0123456789\r\nContent-Type: application/json\r\nContent-Length: 1000000\r\n\r\n{"image":"',
    );
    socket.write('A'.repeat(64 * 1024));
    // Wait until the app is reading the body, then drop the connection.
    await new Promise((r) => setTimeout(r, 200));
    socket.destroy();
    while (!logs.some((l) => l.msg === 'client went away before the answer')) await new Promise((r) => setTimeout(r, 50));
    expect(logs.filter((l) => l.level >= 50)).toEqual([]);
    expect(logs.find((l) => l.msg === 'client went away before the answer')).toMatchObject({ level: 30, callId: expect.any(String) });
  });
});
