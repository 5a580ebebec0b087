import { randomUUID } from 'node:crypto';
import { defaultScenario, FAILURE_MESSAGES, takeFailure, type FakeScenario } from './scenario.js';
import { parseJson, sendJson, startServer, type Recorded } from './http.js';
import { isObject } from './veo-validate.js';
import { fakeVideo } from './video.js';

/**
 * A fake Segmind v2 async API, after Segmind's own Python SDK (segmind/v2.py): `POST /v2/{slug}`
 * with `x-api-key` → `{request_id, status_url, response_url}`; `status_url` answers
 * QUEUED/PROCESSING, then COMPLETED (200) or FAILED (422 with `error`); `response_url` carries
 * `output`. Errors are `{"error": "<text>"}`. Polling only, like Segmind: `/events` is a 404 and
 * `?wait` is ignored, so the SDK's tests use it too.
 */
export interface SegmindFake {
  url: string;
  apiKey: string;
  scenario: FakeScenario & { credits?: boolean };
  requests: Recorded[];
  polls: number;
  close(): Promise<void>;
}

interface Job {
  pollsLeft: number;
  /** Status reads so far: the first says QUEUED, later ones PROCESSING. */
  reads: number;
  outcome: FakeScenario['outcome'];
}

export async function startSegmindFake(apiKey = 'test-segmind-key'): Promise<SegmindFake> {
  const jobs = new Map<string, Job>();
  const fake: SegmindFake = { url: '', apiKey, scenario: defaultScenario(), requests: [], polls: 0, close: async () => {} };
  const server = await startServer(async (req, res, raw) => {
    const url = new URL(req.url ?? '/', 'http://fake');
    const body = parseJson(raw);
    fake.requests.push({ method: req.method ?? '', path: url.pathname, headers: req.headers, body });
    if (fake.scenario.hang) return;
    if (req.method === 'GET' && url.pathname.startsWith('/files/')) {
      const video = await fakeVideo(); // output URLs are public links: no key
      res.writeHead(200, { 'content-type': 'video/mp4', 'content-length': video.length });
      return void res.end(video);
    }
    if (req.headers['x-api-key'] !== apiKey) return sendJson(res, 401, { error: 'Unauthorized: invalid API key' });
    const failure = takeFailure(fake.scenario);
    if (failure) return sendJson(res, failure, { error: FAILURE_MESSAGES[failure] });

    let m: RegExpExecArray | null;
    if (req.method === 'POST' && (m = /^\/v2\/([a-z0-9.-]+)$/.exec(url.pathname)) && m[1] !== 'requests') {
      if (fake.scenario.credits === false) return sendJson(res, 406, { error: 'Insufficient credits' });
      const problem = validate(body);
      if (problem) return sendJson(res, 400, { error: problem });
      const id = randomUUID();
      jobs.set(id, { pollsLeft: fake.scenario.pollsBeforeDone, reads: 0, outcome: fake.scenario.outcome });
      const base = `${fake.url}/v2/requests/${id}`;
      return sendJson(res, 200, { request_id: id, status: 'QUEUED', status_url: `${base}/status`, response_url: base, poll_url: base });
    }
    if (req.method === 'GET' && (m = /^\/v2\/requests\/([0-9a-f-]+)(\/status)?$/.exec(url.pathname))) {
      const job = jobs.get(m[1]!);
      if (!job) return sendJson(res, 404, { error: 'Request not found' });
      if (m[2]) fake.polls += 1;
      if (job.outcome === 'pending' || job.pollsLeft > 0) {
        if (!m[2]) return sendJson(res, 202, { request_id: m[1], status: 'PROCESSING' });
        job.pollsLeft -= 1;
        return sendJson(res, 200, { request_id: m[1], status: ++job.reads === 1 ? 'QUEUED' : 'PROCESSING' });
      }
      if (job.outcome !== 'success') {
        const error = job.outcome === 'blocked' ? 'Output flagged as NSFW by the safety checker' : 'Inference failed: worker crashed';
        return sendJson(res, 422, { request_id: m[1], status: 'FAILED', error });
      }
      if (m[2]) return sendJson(res, 200, { request_id: m[1], status: 'COMPLETED' });
      return sendJson(res, 200, {
        request_id: m[1],
        status: 'COMPLETED',
        error: null,
        output: `${fake.url}/files/${m[1]}.mp4`,
        metrics: { inference_time: 1.2 },
      });
    }
    return sendJson(res, 404, { error: `Not found: ${url.pathname}` });
  });
  fake.url = server.url;
  fake.close = server.close;
  return fake;
}

/** The veo-2-image2video parameters as SPEC 2 lists them (Reelay mirrors Segmind's model); omitted ones take their defaults. */
function validate(body: unknown): string | null {
  if (!isObject(body)) return 'Invalid JSON body';
  if (typeof body.image !== 'string' || body.image.length === 0 || Buffer.from(body.image, 'base64').length === 0) return 'image is required';
  if (body.prompt !== undefined && typeof body.prompt !== 'string') return 'prompt must be a string';
  if (body.duration !== undefined && ![5, 6, 7, 8].includes(Number(body.duration))) return 'duration must be one of 5, 6, 7, 8';
  if (body.aspect_ratio !== undefined && body.aspect_ratio !== '16:9' && body.aspect_ratio !== '9:16') return 'aspect_ratio must be 16:9 or 9:16';
  return null;
}
