import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { ComfyEngine } from '../../src/engines/comfyui/index.js';
import { loadModel } from '../../src/engines/comfyui/models.js';
import { startComfyEngine } from '../helpers/comfy-engine.js';
import { defaultComfyScenario, startComfyFake, type ComfyFake } from '../fakes/comfyui.js';
import { cleanup, makeContext, makeJob, type TestContext } from '../fakes/job.js';
import type { EngineJob } from '../../src/engines/engine.js';

/** The engine's one long-lived WebSocket per ComfyUI server, shared by every prompt it sends there. */
let fake: ComfyFake;
let engines: ComfyEngine[] = [];
beforeAll(async () => {
  fake = await startComfyFake();
});
afterAll(() => fake.close());
beforeEach(() => {
  fake.scenario = defaultComfyScenario();
  fake.requests = [];
  fake.socketClients = [];
  fake.events = [];
});
afterEach(() => {
  for (const e of engines) e.close();
  engines = [];
});

async function engine(concurrency = 1): Promise<ComfyEngine> {
  const model = await loadModel('veo-2-image2video', { template: 'wan2.2-14b-i2v', files: {}, steps: 8, negativePrompt: '', output: 'native' });
  return startComfyEngine(engines, model, [{ url: fake.url, concurrency }]);
}

/** The prompt id the fake was given for `job` (its LoadImage file is named after the request). */
function promptOf(job: EngineJob): string {
  const body = fake.requests
    .filter((r) => r.method === 'POST' && r.path === '/prompt')
    .map((r) => r.body as { prompt_id: string; prompt: Record<string, { inputs: Record<string, unknown> }> })
    .find((b) => String(b.prompt['52']?.inputs.image).startsWith(`reelay-${job.requestId}-`));
  if (!body) throw new Error(`no prompt for ${job.requestId}`);
  return body.prompt_id;
}

describe('comfyui: one WebSocket per server', () => {
  it('is reopened after a drop under a new client id: the prompt in flight completes from /history, the next one’s progress comes on the new socket', async () => {
    // Slow steps until the socket is back, so the prompt cannot finish during the gap; the server
    // runs the old socket's teardown after the reconnect (a reused id would be deaf from then on).
    Object.assign(fake.scenario, { stepMs: 400, teardownLagMs: 1_000 });
    const e = await engine();
    const job = await makeJob({ duration: 5 });
    const ctx = makeContext();
    const run = e.run(job, ctx);
    await expect.poll(() => ctx.reported.some((p) => p > 5), { timeout: 30_000 }).toBe(true);
    const [before] = fake.socketClients;
    fake.dropSockets();
    await expect.poll(() => fake.socketClients.length, { timeout: 30_000 }).toBe(2);
    const after = fake.socketClients[1]!;
    // ComfyUI forgets an id when its old socket's teardown runs, even after a reconnect took it: never reuse one.
    expect(after).not.toBe(before);
    fake.scenario.stepMs = 30;
    await run;
    expect(ctx.reported.at(-1)).toBe(100);
    expect(fake.requests.some((r) => r.method === 'GET' && r.path.startsWith('/history/'))).toBe(true);
    await cleanup(job);

    await new Promise((r) => setTimeout(r, 1_000)); // the late teardown has run
    const next = await makeJob({ duration: 5 });
    const nextCtx = makeContext();
    await e.run(next, nextCtx);
    expect(fake.socketClients).toEqual([before, after]);
    const queuedUnder = fake.requests.filter((r) => r.method === 'POST' && r.path === '/prompt').map((r) => (r.body as { client_id: string }).client_id);
    expect(queuedUnder).toEqual([before, after]);
    expect(nextCtx.reported.filter((p) => p > 5 && p < 90).length).toBeGreaterThanOrEqual(4);
    await cleanup(next);
  });

  it('carries two prompts on one server without crossing their progress', async () => {
    fake.scenario.stepMs = 60;
    const e = await engine(2);
    const jobs = await Promise.all([makeJob({ duration: 5 }), makeJob({ duration: 5 })]);
    const heard: number[][] = [[], []];
    const contexts = jobs.map((_, i): TestContext => {
      const ctx = makeContext();
      const record = ctx.progress;
      ctx.progress = (p) => {
        record(p);
        if (p > 5 && p < 92) heard[i]!.push(performance.now());
      };
      return ctx;
    });
    await Promise.all(jobs.map((job, i) => e.run(job, contexts[i]!)));
    expect(new Set(fake.socketClients).size).toBe(1);
    // The fake runs one prompt at a time: the one queued second would hear the first's steps if they crossed.
    for (const [i, job] of jobs.entries()) {
      const line = fake.timeline.get(promptOf(job))!;
      expect(heard[i]!.length).toBeGreaterThanOrEqual(4);
      expect(Math.min(...heard[i]!)).toBeGreaterThanOrEqual(line.startedAt!);
      expect(contexts[i]!.reported.at(-1)).toBe(100);
      await cleanup(job);
    }
    const [a, b] = jobs.map((j) => fake.timeline.get(promptOf(j))!);
    expect(a!.endedAt! <= b!.startedAt! || b!.endedAt! <= a!.startedAt!).toBe(true);
  });

  it('queues every prompt under the socket’s client id, so a server sees one client per Reelay process', async () => {
    const e = await engine();
    for (let i = 0; i < 2; i++) {
      const job = await makeJob({ duration: 5 });
      await e.run(job, makeContext());
      await cleanup(job);
    }
    const ids = fake.requests.filter((r) => r.method === 'POST' && r.path === '/prompt').map((r) => (r.body as { client_id: string }).client_id);
    expect(ids).toHaveLength(2);
    expect(new Set([...ids, ...fake.socketClients]).size).toBe(1);
  });

  it('fetches the video as soon as the socket’s executed message names it, and uses that copy once /history confirms the same file', async () => {
    // A slow /history answer: the copy must already be under way when the finished entry comes.
    fake.scenario.historyDelayMs = 500;
    const e = await engine();
    const job = await makeJob({ duration: 5 });
    const result = await e.run(job, makeContext());
    const views = fake.events.filter((x) => x.startsWith('view '));
    expect(views).toHaveLength(1);
    const answered = fake.events.findIndex((x) => x === `history ${promptOf(job)} entry`);
    expect(answered).toBeGreaterThan(fake.events.indexOf(views[0]!));
    expect(result.videoPath).toMatch(/output\.mp4$/);
    await cleanup(job);
  });

  it('without a socket, fetches the video once, after /history', async () => {
    fake.scenario.silentSocket = true;
    const e = await engine();
    const job = await makeJob({ duration: 5 });
    await e.run(job, makeContext());
    const views = fake.events.filter((x) => x.startsWith('view '));
    expect(views).toHaveLength(1);
    expect(fake.events.indexOf(views[0]!)).toBeGreaterThan(fake.events.indexOf(`history ${promptOf(job)} entry`));
    await cleanup(job);
  });
});
