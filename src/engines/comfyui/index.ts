import type { Logger } from '../../logger.js';
import { EngineError, type Engine, type EngineContext, type EngineJob, type EngineResult } from '../engine.js';
import { transientKind } from '../remote/upstream.js';
import type { ServerConfig } from './client.js';
import { ModelChecks } from './model-checks.js';
import type { ComfyModel } from './models.js';
import { ServerPool } from './pool.js';
import { runOnServer } from './run.js';
import { ServerSocket } from './socket.js';

export type { ServerConfig } from './client.js';

export interface ComfyEngineOptions {
  servers: ServerConfig[];
  /** Reelay model slug → how it runs. */
  models: ComfyModel[];
  /** Watchdog: read /history when the socket has been quiet this long. */
  quietMs?: number;
  healthIntervalMs?: number;
  callTimeoutMs?: number;
  ffmpegPath?: string | undefined;
  log: Logger;
}

export interface ComfyEngine extends Engine {
  readonly name: 'comfyui';
  readonly capacity: number;
  /** Re-reads /object_info from every server and checks each model's workflow. */
  checkModels(): Promise<void>;
  readiness(): Promise<Record<string, string>>;
  close(): void;
}

/**
 * The `comfyui` engine: Segmind-shaped requests run as API-format workflows on a pool of
 * self-hosted ComfyUI servers. A failed call to a server takes it out of the pool and fails the
 * attempt as `upstream_unavailable`, which the worker retries (on another server).
 */
export function createComfyEngine(opts: ComfyEngineOptions): ComfyEngine {
  const pool = new ServerPool(opts.servers, opts.callTimeoutMs ?? 30_000, opts.log);
  const models = new Map(opts.models.map((m) => [m.slug, m]));
  const checks = new ModelChecks(pool, opts.models, opts.log);
  pool.onRecovered = (client) => void checks.checkServer(client);
  pool.startHealthChecks(opts.healthIntervalMs ?? 10_000);
  const settings = { quietMs: opts.quietMs ?? 5_000, ffmpegPath: opts.ffmpegPath };
  // One long-lived socket per server: opening one per run cost each request a handshake before its prompt was queued.
  const sockets = new Map(pool.clients.map((c) => [c, new ServerSocket(c, settings.quietMs)]));

  return {
    name: 'comfyui',
    capacity: pool.capacity,
    checkModels: () => checks.checkAll(),
    readiness: () => checks.readiness(),
    close: () => {
      pool.stop();
      for (const socket of sockets.values()) socket.close();
    },
    async run(job: EngineJob, ctx: EngineContext): Promise<EngineResult> {
      const model = models.get(job.model);
      if (!model) throw new EngineError('engine_error', `model ${job.model} has no comfyui settings (comfyui.models.${job.model})`, { retryable: false });
      const unavailable = checks.unavailable(job.model);
      if (unavailable) throw new EngineError('upstream_unavailable', `model ${job.model} is unavailable: ${unavailable}`, { retryable: false });
      const lease = await pool.acquire(ctx.signal, (c) => checks.canRun(c, job.model));
      try {
        return await runOnServer(lease.client, sockets.get(lease.client)!, model, job, ctx, { ...settings, release: lease.release });
      } catch (err) {
        if (ctx.signal.aborted || transientKind(err) !== 'unavailable') throw err;
        pool.markDown(lease.client, (err as Error).message);
        throw new EngineError('upstream_unavailable', `ComfyUI at ${lease.client.base} stopped answering: ${(err as Error).message}`, { cause: err });
      } finally {
        lease.release();
      }
    },
  };
}
