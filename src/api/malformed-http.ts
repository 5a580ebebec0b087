import { randomUUID } from 'node:crypto';
import { STATUS_CODES, type Server } from 'node:http';
import type { Duplex } from 'node:stream';
import type { Logger } from '../logger.js';

/**
 * Requests that never reach the app: Node's HTTP parser refuses them (a NUL in a header, headers
 * over 16 KB, a malformed request line, a bad chunk) or they are CONNECT tunnels. Node's own answer
 * is a bare status with no body; every error of this server is JSON `{error, code}` with an
 * X-Request-Id, these too. Written to the socket by hand: there is no request object to answer.
 */
export function answerMalformedRequests(server: Server, log: Logger): void {
  server.on('clientError', (err: NodeJS.ErrnoException, socket: Duplex) => {
    // A client that went away has nobody to read an answer.
    if (err.code === 'ECONNRESET' || !socket.writable) return void socket.destroy();
    const [status, code, message] = classify(err);
    log.info({ code: err.code, status }, 'malformed HTTP request refused');
    socket.end(rawJson(status, { error: message, code }));
  });
  server.on('connect', (_req, socket: Duplex) => {
    socket.end(rawJson(405, { error: 'CONNECT is not supported: this is an API server, not a proxy', code: 'method_not_allowed' }));
  });
}

/**
 * For requests Node parsed but the adapter could not turn into a `Request` (a `*` target, a
 * backslash in the path, a Host header that is not a host): the request listener's `errorHandler`. Without it
 * the adapter answers a bare 400 with no body and no X-Request-Id.
 */
export function unusableRequest(log: Logger): (err: unknown) => Response {
  return (err) => {
    const requestError = err instanceof Error && err.name === 'RequestError';
    if (!requestError) log.error({ err }, 'unhandled error in the HTTP adapter');
    return jsonError(requestError);
  };
}

function jsonError(requestError: boolean): Response {
  const [status, code, message] = requestError
    ? [400, 'invalid_request', 'Malformed request: the request target or Host header cannot form a URL (check the path and Host)']
    : [500, 'internal', 'Internal error'];
  return new Response(JSON.stringify({ error: message, code }), { status, headers: jsonHeaders() });
}

function jsonHeaders(): Record<string, string> {
  return {
    'Content-Type': 'application/json',
    'X-Request-Id': randomUUID(),
    'X-Content-Type-Options': 'nosniff',
    'Referrer-Policy': 'no-referrer',
    'Content-Security-Policy': "default-src 'none'; frame-ancestors 'none'",
  };
}

function classify(err: NodeJS.ErrnoException): [number, string, string] {
  switch (err.code) {
    case 'HPE_HEADER_OVERFLOW':
      return [431, 'headers_too_large', 'Request headers are too large (at most 16 KB in all)'];
    case 'ERR_HTTP_REQUEST_TIMEOUT':
    case 'ERR_HTTP_HEADERS_TIMEOUT':
      return [408, 'timeout', 'The request was not received in time'];
    default:
      return [400, 'invalid_request', `Malformed HTTP request (${err.code ?? 'parse error'}): check the request line and headers`];
  }
}

function rawJson(status: number, body: Record<string, string>): string {
  const text = JSON.stringify(body);
  return [
    `HTTP/1.1 ${status} ${STATUS_CODES[status] ?? ''}`,
    'Content-Type: application/json',
    `Content-Length: ${Buffer.byteLength(text)}`,
    `X-Request-Id: ${randomUUID()}`,
    'Connection: close',
    '',
    text,
  ].join('\r\n');
}
