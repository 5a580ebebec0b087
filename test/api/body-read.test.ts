import { connect } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { chunksSink, textSink } from '../../src/api/body-read.js';
import { ADMIN_KEY, startTestServer, type TestServer } from '../helpers/server.js';

/**
 * Bodies are decoded as they arrive (src/api/body-read.ts) instead of being kept as a list of
 * Buffers and decoded at the end: the text must be exactly what decoding the whole body gave.
 */
const SAMPLES = [
  Buffer.from('{"name":"Zoë 😀 漢字 ✓"}', 'utf8'),
  Buffer.from('\ufeff{"a":1}', 'utf8'),
  Buffer.from([0x7b, 0x22, 0xff, 0xfe, 0x22, 0x3a, 0xe2, 0x82, 0x7d, 0xf0, 0x9f, 0x98]),
  Buffer.alloc(0),
];

function chunked(body: Buffer, size: number): Buffer[] {
  const out: Buffer[] = [];
  for (let i = 0; i < body.length; i += size) out.push(body.subarray(i, i + size));
  return out;
}

describe('body sinks', () => {
  it.each(SAMPLES.map((s) => [s.toString('hex').slice(0, 24), s] as const))('text of %s is the whole body decoded at once, however it is split', (_, body) => {
    for (const size of [1, 2, 3, 5, 7]) {
      const sink = textSink();
      for (const c of chunked(body, size)) sink.push(c);
      expect(sink.end()).toBe(body.toString('utf8'));
    }
  });

  it('chunks are kept as received, in order', () => {
    const body = Buffer.from('--b\r\nContent-Disposition: form-data; name="x"\r\n\r\n\u00ff\r\n--b--\r\n', 'latin1');
    const sink = chunksSink();
    const parts = chunked(body, 3);
    for (const c of parts) sink.push(c);
    const kept = sink.end();
    expect(kept).toHaveLength(parts.length);
    expect(kept.every((c, i) => c === parts[i])).toBe(true);
  });
});

describe('a JSON body read from the socket', () => {
  let server: TestServer;
  beforeAll(async () => {
    server = await startTestServer();
  });
  afterAll(async () => server?.stop());

  /** Writes the request a byte at a time, so every multi-byte character is split across reads. */
  async function dribble(body: Buffer): Promise<{ status: number; json: Record<string, unknown> }> {
    const socket = connect(server.port, '127.0.0.1');
    await new Promise<void>((r) => socket.once('connect', () => r()));
    socket.setNoDelay(true);
    socket.write(
      `POST /admin/accounts HTTP/1.1\r\nHost: x\r\nx-api-key: ${ADMIN_KEY}\r\nContent-Type: application/json\r\nContent-Length: ${body.length}\r\nConnection: close\r\n\r\n`,
    );
    for (const b of body) {
      socket.write(Buffer.from([b]));
      await new Promise((r) => setImmediate(r));
    }
    const chunks: Buffer[] = [];
    for await (const c of socket) chunks.push(c as Buffer);
    const text = Buffer.concat(chunks).toString('utf8');
    return { status: Number(text.split(' ')[1]), json: JSON.parse(text.slice(text.indexOf('\r\n\r\n') + 4)) as Record<string, unknown> };
  }

  it('keeps characters split across reads', async () => {
    const res = await dribble(Buffer.from(JSON.stringify({ name: 'Zoë 😀 漢字' }), 'utf8'));
    expect(res.status).toBe(201);
    expect(res.json.name).toBe('Zoë 😀 漢字');
  });

  it('decodes a truncated character as U+FFFD, as decoding the whole body did', async () => {
    const res = await dribble(Buffer.from([0x7b, 0x22, 0x6e, 0x61, 0x6d, 0x65, 0x22, 0x3a, 0x22, 0xf0, 0x9f, 0x22, 0x7d]));
    // U+FFFD, as Buffer.toString gives: a valid name of one replacement character.
    expect(res.status).toBe(201);
    expect(res.json.name).toBe('\ufffd');
  });
});
