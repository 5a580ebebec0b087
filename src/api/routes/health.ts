import { Hono } from 'hono';
import type { AppEnv } from '../env.js';
import { requireMetricsAccess } from '../middleware/metrics-access.js';

export interface Readiness {
  /** Null when this process runs no worker (an api-only process). */
  workerRunning(): boolean | null;
  /** The worker's engines' own reports (ComfyUI servers, models); they do not make the process unready. */
  engines?(): Promise<Record<string, string>>;
}

export function healthRoutes(readiness: Readiness): Hono<AppEnv> {
  const routes = new Hono<AppEnv>();
  /** The process is up. */
  routes.get('/healthz', (c) => c.json({ status: 'ok' }));
  /** The process can do its job: store reachable, worker (if any) running. */
  routes.get('/readyz', async (c) => {
    const checks: Record<string, string> = {};
    try {
      await c.get('services').store.ping();
      checks.store = 'ok';
    } catch (err) {
      checks.store = `unreachable: ${(err as Error).message}`;
    }
    const worker = readiness.workerRunning();
    if (worker !== null) checks.worker = worker ? 'ok' : 'stopped';
    const ready = Object.values(checks).every((v) => v === 'ok');
    // One unreachable GPU box or one model missing a file must not take the whole API out of a load balancer.
    const engines = (await readiness.engines?.().catch((err: unknown) => ({ engines: `check failed: ${(err as Error).message}` }))) ?? {};
    return c.json({ status: ready ? 'ready' : 'not_ready', checks, ...(Object.keys(engines).length > 0 ? { engines } : {}) }, ready ? 200 : 503);
  });
  /** Prometheus metrics of this process (queue depth is the shared queue's); metrics token or admin key. */
  routes.get('/metrics', requireMetricsAccess, async (c) => {
    const { registry } = c.get('services').metrics;
    return c.body(await registry.metrics(), 200, { 'Content-Type': registry.contentType });
  });
  return routes;
}
