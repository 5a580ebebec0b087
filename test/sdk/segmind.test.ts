import { afterAll, beforeAll, beforeEach, expect, it } from 'vitest';
import { InferenceFailed, Reelay } from '@reelay/sdk';
import { defaultScenario } from '../fakes/scenario.js';
import { startSegmindFake, type SegmindFake } from '../fakes/segmind.js';

let segmind: SegmindFake;
beforeAll(async () => void (segmind = await startSegmindFake('sg_key')));
afterAll(() => segmind?.close());
// A few status reads before the end, so the client sees QUEUED, then PROCESSING.
beforeEach(() => void (segmind.scenario = { ...defaultScenario(), pollsBeforeDone: 6 }));
/** Every request the fake saw, as "METHOD /path". */
const hits = (): string[] => segmind.requests.map((r) => `${r.method} ${r.path}`);

it('run() works against a polling-only Segmind-shaped server, following its URLs verbatim', async () => {
  const client = new Reelay({ apiKey: 'sg_key', baseUrl: segmind.url });
  const job = await client.submitAsync('veo-2-image2video', { image: 'https://example.com/cat.png', duration: 5 });
  const statuses: string[] = [];
  const result = await job.wait({ intervalMs: 20, onProgress: (s) => statuses.push(s.status) });
  expect(result).toMatchObject({ request_id: job.requestId, status: 'COMPLETED', output: `${segmind.url}/files/${job.requestId}.mp4` });
  expect(job.waitStrategy).toBe('poll');
  expect(statuses).toEqual(['QUEUED', 'PROCESSING', 'COMPLETED']);
  const mine = hits().filter((h) => h.includes(job.requestId));
  // SSE was tried once (404), long-poll degraded after answers that came back at once, then plain polling.
  expect(mine.filter((h) => h.endsWith('/events'))).toHaveLength(1);
  expect(mine.at(-1)).toBe(`GET /v2/requests/${job.requestId}`);
  expect(mine.filter((h) => h === `GET /v2/requests/${job.requestId}`)).toHaveLength(1);
});

it('run() raises InferenceFailed from a FAILED status without reading response_url', async () => {
  const client = new Reelay({ apiKey: 'sg_key', baseUrl: segmind.url });
  segmind.scenario.outcome = 'blocked';
  const err = await client.run('veo-2-image2video', { image: 'https://example.com/cat.png' }, { mode: 'poll', intervalMs: 20 }).catch((e: unknown) => e);
  expect(err).toBeInstanceOf(InferenceFailed);
  expect(err).toMatchObject({ message: 'Output flagged as NSFW by the safety checker', code: 'failed' });
  const id = (err as InferenceFailed).requestId;
  expect(hits()).not.toContain(`GET /v2/requests/${id}`);
});

it('a wrong key is an ApiError 401 with the server message', async () => {
  const client = new Reelay({ apiKey: 'nope', baseUrl: segmind.url });
  await expect(client.submitAsync('veo-2-image2video', { image: 'x' })).rejects.toMatchObject({
    name: 'ApiError',
    status: 401,
    message: 'Unauthorized: invalid API key',
    code: 'http_401',
  });
});
