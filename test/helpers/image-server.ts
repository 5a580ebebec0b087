import { listenLoopback } from './loopback.js';

export interface Route {
  status?: number;
  type?: string;
  body?: Buffer | string;
  location?: string;
}

/** A loopback HTTP server that answers fixed routes: images, HTML, 404s and redirects for URL tests. */
export async function startImageServer(routes: Record<string, Route>): Promise<{ url: string; close(): Promise<void> }> {
  const { url, close } = await listenLoopback((req, res) => {
    const route = routes[req.url ?? ''];
    if (!route) {
      res.writeHead(404, { 'content-type': 'text/plain' }).end('not here');
      return;
    }
    const headers: Record<string, string> = { 'content-type': route.type ?? 'application/octet-stream' };
    if (route.location) headers.location = route.location;
    res.writeHead(route.status ?? 200, headers).end(route.body ?? '');
  });
  return { url, close };
}
