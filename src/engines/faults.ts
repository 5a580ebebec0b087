import { setTimeout as sleep } from 'node:timers/promises';
import type { Fault } from '../core/types.js';
import { EngineError, type Engine, type EngineContext, type EngineJob, type EngineResult } from './engine.js';

/**
 * The emulator's fault injection: makes a request end the way a client asked with
 * `x-reelay-fault`, so app developers (and our tests) can exercise their error handling against
 * realistic FAILED bodies. Only reachable when the operator turned faults on.
 */
export async function runWithFault(engine: Engine, fault: Fault | null, job: EngineJob, ctx: EngineContext, slowMs: number): Promise<EngineResult> {
  switch (fault) {
    case null:
      return engine.run(job, ctx);
    case 'content_blocked':
      throw new EngineError('content_blocked', 'The input image or prompt was blocked by the content filter (emulated fault)');
    case 'engine_error':
      throw new EngineError('engine_error', 'The engine failed while generating the video (emulated fault)');
    case 'timeout':
      throw new EngineError('timeout', 'The engine did not finish within its time limit (emulated fault)');
    case 'slow':
      await slowProgress(ctx, slowMs);
      return engine.run(job, { ...ctx, progress: (p) => ctx.progress(90 + p / 10) });
  }
}

/** Reports progress from 0 to 90 over `ms`, honouring the abort signal. */
async function slowProgress(ctx: EngineContext, ms: number): Promise<void> {
  const steps = 30;
  for (let i = 1; i <= steps; i++) {
    await sleep(ms / steps, undefined, { signal: ctx.signal });
    ctx.progress((i / steps) * 90);
  }
}
