import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface FakeSegmind {
  url: string;
  /** Every path asked, in order (with query), so tests can see how the client waited. */
  hits: string[];
  close(): Promise<void>;
}

/**
 * A Segmind-shaped server: submit, status_url and response_url on its own paths, polling only:
 * /events is a 404 and ?wait is ignored. A request stays QUEUED then PROCESSING for `pendingPolls`
 * status reads, then COMPLETES (or FAILS when the prompt is "fail").
 */
export async function startFakeSegmind(pendingPolls = 6): Promise<FakeSegmind> {
  const hits: string[] = [];
  const requests = new Map<string, { polls: number; fail: boolean }>();
  let next = 0;
  const json = (res: ServerResponse, status: number, body: unknown): void => {
    res.writeHead(status, { 'content-type': 'application/json' }).end(JSON.stringify(body));
  };
  const server = createServer((req: IncomingMessage, res) => {
    const url = new URL(req.url ?? '/', 'http://x');
    hits.push(`${req.method} ${url.pathname}${url.search}`);
    if (req.headers['x-api-key'] !== 'sg_key') return json(res, 401, { error: 'Invalid API key' });
    const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    if (req.method === 'POST' && url.pathname === '/v2/veo-2-image2video') {
      let raw = '';
      req.on('data', (c: Buffer) => (raw += c.toString()));
      req.on('end', () => {
        const id = `sg-${++next}`;
        requests.set(id, { polls: 0, fail: (JSON.parse(raw) as { prompt?: string }).prompt === 'fail' });
        json(res, 200, { request_id: id, status: 'QUEUED', status_url: `${base}/v2/queue/${id}/status`, response_url: `${base}/v2/queue/${id}` });
      });
      return;
    }
    const m = /^\/v2\/queue\/([^/]+)(\/status)?$/.exec(url.pathname);
    const r = m ? requests.get(m[1] ?? '') : undefined;
    if (!m || !r) return json(res, 404, { error: 'Not Found' });
    const done = r.polls >= pendingPolls;
    if (m[2]) {
      r.polls++;
      if (!done) return json(res, 200, { request_id: m[1], status: r.polls === 1 ? 'QUEUED' : 'PROCESSING' });
      return r.fail ? json(res, 200, { request_id: m[1], status: 'FAILED', error: 'NSFW content detected' }) : json(res, 200, { request_id: m[1], status: 'COMPLETED' });
    }
    if (!done) return json(res, 200, { request_id: m[1], status: 'PROCESSING' });
    json(res, 200, { request_id: m[1], status: 'COMPLETED', output: `${base}/files/${m[1]}.mp4`, metrics: { inference_time: 1.5 } });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    hits,
    close: () => new Promise((resolve) => server.close(() => resolve())),
  };
}
