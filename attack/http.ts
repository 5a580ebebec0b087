import net from 'node:net';

/** One raw HTTP/1.1 exchange. Raw, not fetch: fetch normalises `..`, rejects odd methods and bad header bytes. */
export interface RawRequest {
  method: string;
  /** The request target exactly as sent (not normalised). */
  path: string;
  headers?: Array<[string, string]>;
  body?: Buffer | string;
  /** Send the body's Content-Length (default true). */
  contentLength?: boolean;
  timeoutMs?: number;
}

export interface RawResponse {
  status: number;
  headers: Record<string, string>;
  body: Buffer;
  /** The response was still streaming when the timeout hit (SSE): headers are real, body partial. */
  streaming: boolean;
}

/** Decodes a chunked body; null while it is incomplete. */
function dechunk(buf: Buffer): Buffer | null {
  const parts: Buffer[] = [];
  let at = 0;
  for (;;) {
    const eol = buf.indexOf('\r\n', at);
    if (eol < 0) return null;
    const size = parseInt(buf.subarray(at, eol).toString('latin1'), 16);
    if (Number.isNaN(size)) return Buffer.concat(parts);
    if (size === 0) return Buffer.concat(parts);
    if (buf.length < eol + 2 + size) return null;
    parts.push(buf.subarray(eol + 2, eol + 2 + size));
    at = eol + 2 + size + 2;
  }
}

function parse(buf: Buffer, closed: boolean): { res: RawResponse; done: boolean } | null {
  const end = buf.indexOf('\r\n\r\n');
  if (end < 0) return null;
  const lines = buf.subarray(0, end).toString('latin1').split('\r\n');
  const status = Number(lines[0]!.split(' ')[1]);
  const headers: Record<string, string> = {};
  for (const line of lines.slice(1)) {
    const i = line.indexOf(':');
    if (i > 0) headers[line.slice(0, i).trim().toLowerCase()] = line.slice(i + 1).trim();
  }
  // 1xx (100 Continue) is not the answer: parse what follows it.
  if (status >= 100 && status < 200) return parse(buf.subarray(end + 4), closed);
  const rest = buf.subarray(end + 4);
  if (headers['transfer-encoding']?.includes('chunked')) {
    const body = dechunk(rest);
    return { res: { status, headers, body: body ?? rest, streaming: false }, done: body !== null || closed };
  }
  const length = headers['content-length'];
  if (length !== undefined) return { res: { status, headers, body: rest.subarray(0, Number(length)), streaming: false }, done: rest.length >= Number(length) };
  return { res: { status, headers, body: rest, streaming: false }, done: closed };
}

/**
 * Sends one request on its own connection and resolves with the answer (the socket is destroyed
 * once it is complete), or null when the server closed or reset without answering at all. No
 * `Connection: close` by default: with it, a server that answers early (401 before a 29 MB body
 * is read) closes with unread bytes, the kernel sends RST and the answer is lost in transit.
 */
export function rawRequest(port: number, req: RawRequest): Promise<RawResponse | null> {
  return new Promise((resolve) => {
    const body = req.body === undefined ? Buffer.alloc(0) : Buffer.isBuffer(req.body) ? req.body : Buffer.from(req.body, 'utf8');
    const headers = [...(req.headers ?? [])];
    const has = (name: string): boolean => headers.some(([k]) => k.toLowerCase() === name);
    if (!has('host')) headers.unshift(['Host', `127.0.0.1:${port}`]);
    if ((req.contentLength ?? true) && req.body !== undefined && !has('content-length') && !has('transfer-encoding'))
      headers.push(['Content-Length', String(body.length)]);
    const head = `${req.method} ${req.path} HTTP/1.1\r\n${headers.map(([k, v]) => `${k}: ${v}`).join('\r\n')}\r\n\r\n`;
    const socket = net.connect(port, '127.0.0.1');
    let buf = Buffer.alloc(0);
    let settled = false;
    const finish = (closed: boolean, timedOut = false): void => {
      if (settled) return;
      const parsed = parse(buf, closed);
      if (!parsed?.done && !closed && !timedOut) return;
      settled = true;
      clearTimeout(timer);
      socket.destroy();
      resolve(parsed ? { ...parsed.res, streaming: !parsed.done } : null);
    };
    const timer = setTimeout(() => finish(true, true), req.timeoutMs ?? 20_000);
    socket.on('data', (d: Buffer) => {
      buf = Buffer.concat([buf, d]);
      finish(false);
    });
    socket.on('error', () => finish(true));
    socket.on('close', () => finish(true));
    socket.write(Buffer.concat([Buffer.from(head, 'latin1'), body]));
  });
}
