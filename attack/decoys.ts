import { createServer, type Server } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';

/**
 * The canary: a loopback port the server must never reach. Any TCP connection is a hit; the
 * request path (`/hit-<case>`) names the case that got through.
 */
export interface Canary {
  port: number;
  hits(): number;
  paths: string[];
  close(): Promise<void>;
}

async function listen(server: Server, port: number, host: string): Promise<number | null> {
  return new Promise((resolve) => {
    server.once('error', () => resolve(null));
    server.listen(port, host, () => resolve((server.address() as AddressInfo).port));
  });
}

function tracked(server: Server): () => Promise<void> {
  const sockets = new Set<Socket>();
  server.on('connection', (s: Socket) => {
    sockets.add(s);
    s.on('close', () => sockets.delete(s));
  });
  return () => {
    for (const s of sockets) s.destroy();
    return new Promise((resolve) => server.close(() => resolve()));
  };
}

export async function startCanary(): Promise<Canary> {
  let hits = 0;
  const paths: string[] = [];
  const make = (): Server => {
    const server = createServer((req, res) => {
      paths.push(`${req.method ?? ''} ${req.url ?? ''}`);
      res.end('canary');
    });
    server.on('connection', () => hits++);
    return server;
  };
  const v4 = make();
  const port = await listen(v4, 0, '127.0.0.1');
  if (port === null) throw new Error('canary could not listen on 127.0.0.1');
  // The same port on ::1, so [::1] and friends are caught too (skipped where IPv6 is off).
  const v6 = make();
  const v6ok = (await listen(v6, port, '::1')) !== null;
  const closers = [tracked(v4), ...(v6ok ? [tracked(v6)] : [])];
  return { port, hits: () => hits, paths, close: async () => void (await Promise.all(closers.map((c) => c()))) };
}

/**
 * The decoy: the one loopback port the server allow-lists. It serves an image, redirects
 * wherever `?to=` says, drips a body a byte at a time, or streams one that never ends.
 */
export interface Decoy {
  port: number;
  close(): Promise<void>;
}

export async function startDecoy(png: Buffer): Promise<Decoy> {
  const timers = new Set<NodeJS.Timeout>();
  const server = createServer((req, res) => {
    const url = new URL(req.url ?? '/', 'http://decoy');
    const to = url.searchParams.get('to');
    if (url.pathname.startsWith('/redirect') && to) {
      res.writeHead(Number(url.searchParams.get('code') ?? 302), { location: to });
      return res.end();
    }
    if (url.pathname === '/ok.png') return res.writeHead(200, { 'content-type': 'image/png' }).end(png);
    if (url.pathname === '/drip') {
      res.writeHead(200, { 'content-type': 'image/png', 'content-length': String(png.length) });
      let i = 0;
      const t = setInterval(() => (i < png.length && !res.destroyed ? res.write(png.subarray(i, ++i)) : clearInterval(t)), 250);
      timers.add(t);
      return;
    }
    if (url.pathname === '/endless') {
      res.writeHead(200, { 'content-type': 'image/png' });
      const chunk = Buffer.alloc(64 * 1024, 1);
      const pump = (): void => {
        while (!res.destroyed && res.write(chunk));
        if (!res.destroyed) res.once('drain', pump);
      };
      res.write(png.subarray(0, 33));
      return pump();
    }
    if (url.pathname === '/hook') return res.writeHead(204).end();
    res.writeHead(404).end();
  });
  const close = tracked(server);
  const port = await listen(server, 0, '127.0.0.1');
  if (port === null) throw new Error('decoy could not listen');
  return {
    port,
    close: () => {
      for (const t of timers) clearInterval(t);
      return close();
    },
  };
}
