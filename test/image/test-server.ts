import type http from 'node:http';
import { listenLoopback } from '../helpers/loopback.js';

export type Route = (req: http.IncomingMessage, res: http.ServerResponse) => void;

export interface TestServer {
  /** http://127.0.0.1:PORT */
  origin: string;
  port: number;
  /** Bytes the server managed to write per path; shows whether a client cut a body off. */
  written: Map<string, number>;
  close(): Promise<void>;
}

/** A real HTTP server on loopback, port 0; unknown paths answer 404. */
export async function startServer(routes: Record<string, Route>): Promise<TestServer> {
  const written = new Map<string, number>();
  const site = await listenLoopback((req, res) => {
    const path = (req.url ?? '/').split('?')[0] ?? '/';
    const write = res.write.bind(res);
    res.write = ((chunk: Buffer | string, ...rest: never[]) => {
      written.set(path, (written.get(path) ?? 0) + Buffer.byteLength(chunk));
      return write(chunk, ...rest);
    }) as typeof res.write;
    const route = routes[path];
    if (route) route(req, res);
    else res.writeHead(404, { 'content-type': 'text/plain' }).end('not found');
  });
  // Hanging routes never end their responses; the loopback's close() drops their sockets.
  return { origin: site.url, port: site.port, written, close: site.close };
}
