import { EngineError } from '../engines/engine.js';
import type { FailureCode } from '../core/types.js';

export type Outcome = { kind: 'retry'; reason: string } | { kind: 'fail'; code: FailureCode; error: string };

/**
 * What to do with an attempt that threw: retry (when the error is retryable and attempts remain)
 * or fail with a stable code. Pure, so the policy is tested without a database.
 */
export function classifyFailure(err: unknown, attempts: number, maxAttempts: number): Outcome {
  if (err instanceof EngineError) {
    if (err.retryable && attempts < maxAttempts) return { kind: 'retry', reason: err.message };
    return { kind: 'fail', code: err.code, error: err.message };
  }
  const message = err instanceof Error ? err.message : String(err);
  return { kind: 'fail', code: 'engine_error', error: `internal engine error: ${message}` };
}
