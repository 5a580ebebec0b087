import { setTimeout as sleep } from 'node:timers/promises';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { Engine } from '../../src/engines/engine.js';
import type { RetryPolicy } from '../../src/engines/remote/upstream.js';
import { probeVideo } from '../../src/media/probe.js';
import type { Recorded } from '../fakes/http.js';
import { defaultScenario, type FakeScenario } from '../fakes/scenario.js';
import { cleanup, FAST, makeContext, makeJob, rejection } from '../fakes/job.js';
import { fakeVideo } from '../fakes/video.js';

/** What the contract needs of a fake upstream (test/fakes/*): its scenario knobs and what it saw. */
export interface RemoteFake {
  scenario: FakeScenario;
  requests: Recorded[];
  /** Status reads (operation polls) served. */
  polls: number;
  close(): Promise<void>;
}

/** How the contract builds an engine against the fake. */
export interface EngineOptions {
  retry?: Partial<RetryPolicy>;
  /** Poll soon once, then wait about 600 ms between polls, so a cancel lands inside a long wait. */
  slowPolls?: boolean;
  /** Credentials the upstream refuses (a wrong key or token). */
  badCredentials?: boolean;
}

/** One remote engine under the contract: its fake, its engine, and the upstream's own words. */
export interface RemoteEngineSubject<F extends RemoteFake> {
  name: string;
  startFake(): Promise<F>;
  engine(fake: F, opts: EngineOptions): Engine;
  /** Does this request submit work (counted against the retry cap)? */
  isSubmit(r: Recorded): boolean;
  /** Text from the upstream that each failure must carry: the content filter's reason, the failure, the credentials refusal. */
  messages: { blocked: string; failed: string; refused: string };
  /** Engine-specific checks once a cancel has settled (Gemini also deletes the operation). */
  afterCancel?(fake: F): void;
}

/**
 * The failure contract every remote engine keeps, written once: the same scenario on each fake
 * must end in the same classified EngineError (SPEC 7's codes), whatever the upstream's wire format.
 */
export function describeRemoteEngineContract<F extends RemoteFake>(subject: RemoteEngineSubject<F>): void {
  describe(`remote engine contract: ${subject.name}`, () => {
    let fake: F;
    beforeAll(async () => {
      fake = await subject.startFake();
      await fakeVideo();
    });
    afterAll(() => fake?.close());
    beforeEach(() => {
      fake.scenario = defaultScenario();
      fake.requests = [];
      fake.polls = 0;
    });
    const engine = (opts: EngineOptions = {}) => subject.engine(fake, { ...opts, retry: { ...FAST.retry, ...opts.retry } });

    it('content blocked by the upstream filter is content_blocked with its reason', async () => {
      fake.scenario.outcome = 'blocked';
      const job = await makeJob();
      const err = await rejection(engine().run(job, makeContext()));
      expect(err.code).toBe('content_blocked');
      expect(err.message).toContain(subject.messages.blocked);
      await cleanup(job);
    });

    it('a failed generation is engine_error with the upstream message', async () => {
      fake.scenario.outcome = 'error';
      const job = await makeJob();
      const err = await rejection(engine().run(job, makeContext()));
      expect(err.code).toBe('engine_error');
      expect(err.message).toContain(subject.messages.failed);
      await cleanup(job);
    });

    it('429 for the first calls is retried with backoff, then succeeds', async () => {
      fake.scenario.fail = { status: 429, times: 2 };
      const job = await makeJob();
      const result = await engine().run(job, makeContext());
      expect((await probeVideo(result.videoPath)).codec).toBe('h264');
      expect(fake.requests.filter((r) => subject.isSubmit(r)).length).toBe(3);
      await cleanup(job);
    });

    it('429 until the deadline the worker passes is rate_limited, not retryable, and no backoff runs past it', async () => {
      fake.scenario.fail = { status: 429, times: Infinity };
      const job = await makeJob();
      const ctx = makeContext();
      ctx.deadline = Date.now() + 1_400; // the engine stops 1 s before it, leaving time to report
      const t0 = Date.now();
      const err = await rejection(engine({ retry: { initialDelayMs: 50, maxDelayMs: 200, maxAttempts: 1000, budgetMs: 60_000 } }).run(job, ctx));
      expect(err.code).toBe('rate_limited');
      expect(err.retryable).toBe(false);
      expect(err.message).toMatch(/\(\d+ calls? in this attempt\)/);
      expect(Date.now() - t0).toBeLessThan(1_400);
      await cleanup(job);
    });

    it('refused credentials are the operator’s engine_error, not the client’s invalid_input', async () => {
      const job = await makeJob();
      const err = await rejection(engine({ badCredentials: true }).run(job, makeContext()));
      expect(err.code).toBe('engine_error');
      expect(err.message).toContain(subject.messages.refused);
      await cleanup(job);
    });

    it('an outage (persistent 503s) is upstream_unavailable after the retry cap', async () => {
      fake.scenario.fail = { status: 503, times: Infinity };
      const job = await makeJob();
      const err = await rejection(engine().run(job, makeContext()));
      expect(err.code).toBe('upstream_unavailable');
      expect(err.retryable).toBe(true);
      expect(fake.requests.filter((r) => subject.isSubmit(r)).length).toBe(FAST.retry.maxAttempts);
      // Counted as calls of this worker attempt, never as the request's attempts.
      expect(err.message).toContain(`(${FAST.retry.maxAttempts} calls in this attempt)`);
      await cleanup(job);
    });

    it('cancel while polling rejects promptly and no further polls follow', async () => {
      fake.scenario.outcome = 'pending';
      const job = await makeJob();
      const ctx = makeContext();
      const run = rejection(engine({ slowPolls: true }).run(job, ctx));
      while (fake.polls < 1) await sleep(10);
      const t0 = Date.now();
      ctx.controller.abort(new Error('canceled'));
      expect((await run).message).toBe('canceled');
      expect(Date.now() - t0).toBeLessThan(250);
      const polls = fake.polls;
      await sleep(700);
      expect(fake.polls).toBe(polls);
      subject.afterCancel?.(fake);
      await cleanup(job);
    });
  });
}
