import type http from 'node:http';
import { listenLoopback } from './loopback.js';

export interface Received {
  method: string;
  path: string;
  headers: Record<string, string>;
  body: string;
}

export interface Receiver {
  /** http://127.0.0.1:PORT */
  origin: string;
  /** Every request that reached a route, in order. */
  requests: Received[];
  /** TCP connections accepted, to prove a refused fetch never connected. */
  connections: number;
  close(): Promise<void>;
}

export type Answer = (req: Received, res: http.ServerResponse) => void;

/** A webhook receiver on 127.0.0.1, port 0, that records what it is sent; unknown paths answer 404. */
export async function startReceiver(routes: Record<string, Answer>): Promise<Receiver> {
  const requests: Received[] = [];
  const site = await listenLoopback((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      const headers: Record<string, string> = {};
      for (const [name, value] of Object.entries(req.headers)) if (typeof value === 'string') headers[name] = value;
      const got: Received = { method: req.method ?? '', path: req.url ?? '', headers, body: Buffer.concat(chunks).toString('utf8') };
      requests.push(got);
      const route = routes[got.path];
      if (route) route(got, res);
      else res.writeHead(404).end('not found');
    });
  });
  // A hanging route never ends its response; the loopback's close() drops its socket.
  return {
    origin: site.url,
    requests,
    get connections() {
      return site.connections();
    },
    close: site.close,
  };
}
