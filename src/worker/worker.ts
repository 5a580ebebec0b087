import { randomUUID } from 'node:crypto';
import { rm } from 'node:fs/promises';
import { hostname } from 'node:os';
import type { Services } from '../core/context.js';
import type { RequestRecord } from '../core/types.js';
import { EngineError, type Engine } from '../engines/engine.js';
import { runWithFault } from '../engines/faults.js';
import { classifyFailure } from './failure.js';
import { Heartbeat } from './heartbeat.js';
import { persist } from './persist.js';
import { WorkDirs } from './work-dirs.js';

interface Running {
  engine: string;
  controller: AbortController;
  /** Why the attempt was stopped from outside the engine, if it was. */
  stopReason: 'shutdown' | 'lease_lost' | 'timeout' | 'canceled' | null;
  done: Promise<void>;
}

/**
 * Claims requests from the store and runs them on engines, up to `concurrency` at once. Each
 * attempt holds a lease that a heartbeat renews; if this process dies, the lease runs out and any
 * worker (this one after a restart, or another) claims the request again. Outcomes are written
 * only while the lease is still ours, so a worker that lost its lease cannot overwrite a result.
 */
export class Worker {
  readonly id = `${hostname()}:${process.pid}:${randomUUID().slice(0, 8)}`;
  private readonly running = new Map<string, Running>();
  private stopping = false;
  private loopDone: Promise<void> | undefined;
  private poke: (() => void) | undefined;
  private unsubscribe: (() => void) | undefined;
  private readonly workDirs: WorkDirs;

  /**
   * @param limits how many attempts may run at once per engine name: CPU-bound engines (motion)
   *   get what the cores can render, remote ones (veo, segmind) many, since the work is elsewhere.
   */
  constructor(
    private readonly services: Services,
    private readonly engines: Map<string, Engine>,
    private readonly limits: Map<string, number>,
  ) {
    this.workDirs = new WorkDirs(services.config.dataDir);
  }

  /** Engines with a free slot: the worker claims only requests it can start now. */
  private freeEngines(): string[] {
    const busy = new Map<string, number>();
    for (const r of this.running.values()) busy.set(r.engine, (busy.get(r.engine) ?? 0) + 1);
    return [...this.engines.keys()].filter((name) => (busy.get(name) ?? 0) < (this.limits.get(name) ?? 1));
  }

  get isRunning(): boolean {
    return this.loopDone !== undefined && !this.stopping;
  }

  /** Each engine's own readiness report (ComfyUI servers and models), merged. */
  async engineReadiness(): Promise<Record<string, string>> {
    const reports = await Promise.all([...this.engines.values()].map((e) => e.readiness?.() ?? Promise.resolve({})));
    return Object.assign({}, ...reports) as Record<string, string>;
  }

  get activeCount(): number {
    return this.running.size;
  }

  start(): void {
    if (this.loopDone) return;
    this.unsubscribe = this.services.notifier.onWorkAvailable(() => this.poke?.());
    this.loopDone = this.sweepWorkDirs().then(() => this.loop());
  }

  /** Before the first claim: scratch directories of renders killed in an earlier life. */
  private async sweepWorkDirs(): Promise<void> {
    const removed = await this.workDirs.sweepStale().catch((err: unknown) => {
      this.services.log.warn({ err }, 'could not sweep stale work directories');
      return 0;
    });
    if (removed > 0) this.services.log.info({ removed }, 'removed work directories left by stopped processes');
  }

  /**
   * Stops claiming, lets running attempts finish within the grace period, then aborts the rest
   * and gives them back to the queue (without counting the attempt) for another process to take.
   */
  async stop(): Promise<void> {
    if (!this.loopDone || this.stopping) return;
    this.stopping = true;
    this.unsubscribe?.();
    this.poke?.();
    await this.loopDone;
    const all = Promise.allSettled([...this.running.values()].map((r) => r.done));
    const grace = new Promise<'late'>((resolve) => setTimeout(resolve, this.services.config.worker.shutdownGrace, 'late').unref());
    if ((await Promise.race([all, grace])) === 'late') {
      for (const r of this.running.values()) {
        r.stopReason = 'shutdown';
        r.controller.abort(new Error('worker shutting down'));
      }
      await all;
    }
    for (const engine of this.engines.values()) engine.close?.();
  }

  private async loop(): Promise<void> {
    const { worker, retention } = this.services.config;
    let lastExhaustedCheck = 0;
    while (!this.stopping) {
      try {
        // Wakes come with every submit; the stuck-lease sweep only needs to run at the poll pace.
        if (Date.now() - lastExhaustedCheck >= worker.pollInterval) {
          lastExhaustedCheck = Date.now();
          const exhausted = await this.services.store.failExhausted(Date.now(), worker.maxAttempts, retention);
          for (const id of exhausted) this.services.notifier.requestChanged(id);
        }
        while (!this.stopping) {
          const free = this.freeEngines();
          if (free.length === 0) break;
          const request = await this.services.store.claimNext(this.id, Date.now(), worker.lease, worker.maxAttempts, free);
          if (!request) break;
          this.launch(request);
        }
      } catch (err) {
        // A store hiccup must not kill the loop; the next round retries.
        this.services.log.error({ err }, 'worker loop: store error');
      }
      await new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, worker.pollInterval);
        this.poke = () => {
          clearTimeout(timer);
          resolve();
        };
      });
    }
  }

  private launch(request: RequestRecord): void {
    // Queue wait is submit → first claim; a retried attempt's wait would count the failed run too.
    if (request.attempts === 1)
      this.services.metrics.queueWaitSeconds.observe({ model: request.model, engine: request.engine }, (Date.now() - request.createdAt) / 1000);
    const entry: Running = { engine: request.engine, controller: new AbortController(), stopReason: null, done: Promise.resolve() };
    this.running.set(request.id, entry);
    this.services.notifier.requestChanged(request.id);
    entry.done = this.attempt(request, entry)
      .catch((err: unknown) => this.services.log.error({ err, requestId: request.id }, 'attempt bookkeeping failed'))
      .finally(() => {
        this.running.delete(request.id);
        this.services.notifier.requestChanged(request.id);
        this.poke?.();
      });
  }

  private async attempt(request: RequestRecord, entry: Running): Promise<void> {
    const { store, blobs, config, log, notifier } = this.services;
    const started = Date.now();
    const elapsed = (): number => Math.round((Date.now() - started) / 10) / 100;
    const heartbeat = new Heartbeat(this.services, request.id, this.id, () => stop('lease_lost'));
    const workDir = await this.workDirs.create(request.id);
    const reqLog = log.child({ requestId: request.id, attempt: request.attempts });
    const stop = (reason: NonNullable<Running['stopReason']>): void => {
      if (entry.stopReason) return;
      entry.stopReason = reason;
      entry.controller.abort(new Error(reason));
    };
    const timeoutMs = config.models[request.model]?.timeout ?? 600_000;
    const deadline = setTimeout(() => stop('timeout'), timeoutMs);
    // A cancel is a FAILED row written by an api process; its notification (or the next heartbeat,
    // which then finds the lease gone) stops the engine.
    const unwatch = notifier.onRequestChanged(request.id, () => {
      store.getRequest(request.id).then(
        (now) => (now?.status === 'FAILED' ? stop('canceled') : undefined),
        () => undefined,
      );
    });
    const save = <T>(what: string, write: () => Promise<T>): Promise<T | undefined> => persist(what, write, reqLog);
    const attemptEnded = (outcome: string): void => void this.services.metrics.engineAttempts.inc({ engine: request.engine, outcome });
    try {
      let produced: { seedHonoured: boolean; outputKey: string; size: number };
      try {
        const engine = this.engines.get(request.engine);
        if (!engine) throw new Error(`engine "${request.engine}" is not available on this worker`);
        const bytes = await blobs.readBytes(request.inputKey).catch((err: unknown) => {
          throw new EngineError('upstream_unavailable', `could not read the input image: ${(err as Error).message}`, { cause: err });
        });
        const job = { requestId: request.id, model: request.model, params: request.params, image: { bytes, mime: request.inputMime }, workDir };
        const ctx = { signal: entry.controller.signal, progress: (p: number) => heartbeat.progress(p), log: reqLog, deadline: started + timeoutMs };
        const result = await runWithFault(engine, request.fault, job, ctx, config.slowFaultDuration);
        if (entry.stopReason) throw entry.controller.signal.reason;
        const outputKey = `outputs/${request.id}-${request.attempts}.mp4`;
        const { size } = await blobs.put(outputKey, { path: result.videoPath }).catch((err: unknown) => {
          // The blob store being down is not the engine's fault: retry the attempt, refund if it never recovers.
          throw new EngineError('upstream_unavailable', `could not store the output video: ${(err as Error).message}`, { cause: err });
        });
        produced = { seedHonoured: result.seedHonoured ?? true, outputKey, size };
      } finally {
        await heartbeat.stop();
      }
      const now = Date.now();
      const expiresAt = now + config.retention;
      const ok = await save('complete', async () =>
        store.complete(request.id, this.id, {
          seedHonoured: produced.seedHonoured,
          outputKey: produced.outputKey,
          // The same builder as the API's answers, so a webhook body honours presigned mode too.
          outputUrl: await this.services.outputUrl({ id: request.id, outputKey: produced.outputKey, expiresAt }, request.baseUrl ?? config.publicUrl ?? ''),
          outputBytes: produced.size,
          inferenceSeconds: elapsed(),
          completedAt: now,
          expiresAt,
        }),
      );
      if (ok === false) await blobs.delete(produced.outputKey);
      attemptEnded(ok ? 'completed' : 'stopped');
      if (ok) {
        this.services.metrics.finished.inc({ model: request.model, engine: request.engine, status: 'COMPLETED', code: '' });
        this.services.metrics.renderSeconds.observe({ model: request.model, engine: request.engine }, elapsed());
      }
      reqLog.info({ ok, seconds: elapsed() }, 'request completed');
    } catch (err) {
      // Once this process is stopping, a failure may be the stop itself (a signal to the process
      // group, a dependency closing): give the request back rather than FAIL it; the next run decides.
      if (entry.stopReason === 'shutdown' || this.stopping) {
        attemptEnded('released');
        if (!entry.stopReason) reqLog.warn({ err }, 'attempt failed while shutting down; releasing it to the queue');
        await save('release', () => store.release(request.id, this.id, false));
        notifier.workAvailable();
      } else if (entry.stopReason === 'lease_lost' || entry.stopReason === 'canceled') {
        attemptEnded('stopped');
        reqLog.info({ reason: entry.stopReason }, 'attempt stopped; the request is no longer ours');
      } else if (entry.stopReason === 'timeout') {
        attemptEnded('timeout');
        const now = Date.now();
        await save('fail', () =>
          store.fail(request.id, this.id, {
            code: 'timeout',
            error: `The engine did not finish within the limit of ${Math.round(timeoutMs / 1000)} s for this model`,
            inferenceSeconds: elapsed(),
            completedAt: now,
            expiresAt: now + config.retention,
          }),
        );
      } else {
        const outcome = classifyFailure(err, request.attempts, config.worker.maxAttempts);
        reqLog.warn({ err, outcome }, 'attempt failed');
        attemptEnded(outcome.kind === 'retry' ? 'retried' : 'failed');
        if (outcome.kind === 'retry') {
          await save('release', () => store.release(request.id, this.id, true));
          notifier.workAvailable();
        } else {
          const now = Date.now();
          this.services.metrics.finished.inc({ model: request.model, engine: request.engine, status: 'FAILED', code: outcome.code });
          await save('fail', () =>
            store.fail(request.id, this.id, {
              code: outcome.code,
              error: outcome.error,
              inferenceSeconds: elapsed(),
              completedAt: now,
              expiresAt: now + config.retention,
            }),
          );
        }
      }
    } finally {
      clearTimeout(deadline);
      unwatch();
      await rm(workDir, { recursive: true, force: true });
    }
  }
}
