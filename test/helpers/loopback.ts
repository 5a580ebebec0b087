import { createServer, type RequestListener, type Server } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';

/** An HTTP server on 127.0.0.1 at a port the OS picked. */
export interface Loopback {
  server: Server;
  port: number;
  /** http://127.0.0.1:PORT */
  url: string;
  /** TCP connections accepted so far (to prove a refused fetch never connected). */
  connections(): number;
  /** Closes the server, destroying open sockets first so a hanging route cannot keep it open. */
  close(): Promise<void>;
}

/**
 * Starts `handler` on loopback, port 0: the one way tests run a local HTTP server (fakes of
 * upstream APIs, image hosts, webhook receivers).
 *
 * @example
 * const site = await listenLoopback((req, res) => res.end('ok'));
 * await fetch(site.url);
 * await site.close();
 */
export async function listenLoopback(handler: RequestListener): Promise<Loopback> {
  const server = createServer(handler);
  const sockets = new Set<Socket>();
  let connections = 0;
  server.on('connection', (socket) => {
    connections++;
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => resolve());
  });
  const { port } = server.address() as AddressInfo;
  return {
    server,
    port,
    url: `http://127.0.0.1:${port}`,
    connections: () => connections,
    close: async () => {
      for (const socket of sockets) socket.destroy();
      await new Promise<void>((resolve, reject) => server.close((err) => (err ? reject(err) : resolve())));
    },
  };
}

/** A port on 127.0.0.1 that nothing listens on (it was free a moment ago): for "connection refused" cases. */
export async function closedPort(): Promise<number> {
  const probe = await listenLoopback(() => undefined);
  await probe.close();
  return probe.port;
}
