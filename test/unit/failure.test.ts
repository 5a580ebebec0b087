import { describe, expect, it } from 'vitest';
import { EngineError } from '../../src/engines/engine.js';
import { classifyFailure } from '../../src/worker/failure.js';

describe('classifyFailure', () => {
  it('retries retryable engine errors while attempts remain', () => {
    expect(classifyFailure(new EngineError('upstream_unavailable', 'down'), 1, 3)).toEqual({ kind: 'retry', reason: 'down' });
  });
  it('fails retryable errors once attempts are used up, keeping their code', () => {
    expect(classifyFailure(new EngineError('rate_limited', 'slow down'), 3, 3)).toEqual({ kind: 'fail', code: 'rate_limited', error: 'slow down' });
  });
  it('fails non-retryable engine errors at once', () => {
    expect(classifyFailure(new EngineError('content_blocked', 'no'), 1, 3)).toEqual({ kind: 'fail', code: 'content_blocked', error: 'no' });
  });
  it('turns unknown errors into engine_error with the message', () => {
    expect(classifyFailure(new TypeError('boom'), 1, 3)).toEqual({ kind: 'fail', code: 'engine_error', error: 'internal engine error: boom' });
  });
});
