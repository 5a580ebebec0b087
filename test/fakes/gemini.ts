import { randomBytes } from 'node:crypto';
import type { ServerResponse } from 'node:http';
import { defaultScenario, FAILURE_MESSAGES, takeFailure, type FakeScenario } from './scenario.js';
import { googleError, parseJson, sendJson, startServer, type Recorded } from './http.js';
import { validatePredictBody } from './veo-validate.js';
import { fakeVideo } from './video.js';

/**
 * A fake Gemini API (generativelanguage v1beta) that the real `@google/genai` SDK talks to
 * unchanged via `httpOptions.baseUrl`: `models/{m}:predictLongRunning`, operation GET/DELETE,
 * `files/{id}:download`. Shapes follow the SDK's converters (generateVideoResponse.generatedSamples,
 * raiMediaFilteredCount/Reasons, google.rpc error bodies).
 */
export interface GeminiFake {
  url: string;
  apiKey: string;
  scenario: FakeScenario;
  requests: Recorded[];
  /** Operation GETs served (polls). */
  polls: number;
  deletes: string[];
  close(): Promise<void>;
}

interface Op {
  model: string;
  pollsLeft: number;
  outcome: FakeScenario['outcome'];
  delivery: 'uri' | 'inline';
  fileId: string;
}

export async function startGeminiFake(apiKey = 'test-gemini-key'): Promise<GeminiFake> {
  const ops = new Map<string, Op>();
  const fake: GeminiFake = { url: '', apiKey, scenario: defaultScenario(), requests: [], polls: 0, deletes: [], close: async () => {} };
  const server = await startServer(async (req, res, raw) => {
    const url = new URL(req.url ?? '/', 'http://fake');
    const body = parseJson(raw);
    fake.requests.push({ method: req.method ?? '', path: url.pathname, headers: req.headers, body });
    if (fake.scenario.hang) return; // never answer
    const key = req.headers['x-goog-api-key'] ?? url.searchParams.get('key');
    if (!key)
      return googleError(
        res,
        403,
        "Method doesn't allow unregistered callers (callers without established identity). Please use API Key or other form of API consumer identity to call this API.",
      );
    if (key !== apiKey) return googleError(res, 400, 'API key not valid. Please pass a valid API key.');
    const failure = takeFailure(fake.scenario);
    if (failure) return googleError(res, failure, FAILURE_MESSAGES[failure]!);

    let m: RegExpExecArray | null;
    if (req.method === 'POST' && (m = /^\/v1beta\/models\/([^/:]+):predictLongRunning$/.exec(url.pathname))) {
      const problem = validatePredictBody(body, 'gemini');
      if (problem) return googleError(res, 400, problem);
      const id = randomBytes(6).toString('hex');
      const s = fake.scenario;
      ops.set(id, { model: m[1]!, pollsLeft: s.pollsBeforeDone, outcome: s.outcome, delivery: s.delivery ?? 'uri', fileId: randomBytes(6).toString('hex') });
      return sendJson(res, 200, { name: `models/${m[1]}/operations/${id}` });
    }
    if ((m = /^\/v1beta\/models\/([^/]+)\/operations\/([a-z0-9]+)$/.exec(url.pathname))) {
      const op = ops.get(m[2]!);
      if (!op) return googleError(res, 404, `Operation models/${m[1]}/operations/${m[2]} not found.`);
      if (req.method === 'DELETE') {
        fake.deletes.push(m[2]!);
        return sendJson(res, 200, {});
      }
      if (req.method !== 'GET' || raw.length > 0) return googleError(res, 400, 'operations.get takes no body');
      fake.polls += 1;
      return sendOperation(res, `models/${m[1]}/operations/${m[2]}`, op);
    }
    if (req.method === 'GET' && (m = /^\/v1beta\/files\/([a-z0-9]+):download$/.exec(url.pathname))) {
      if (url.searchParams.get('alt') !== 'media') return googleError(res, 400, 'alt=media is required');
      // Third-party fakes show a redirect to storage; the client must follow it.
      res.writeHead(302, { location: `/download-redirect/${m[1]}` });
      return void res.end();
    }
    if (req.method === 'GET' && /^\/download-redirect\/[a-z0-9]+$/.test(url.pathname)) {
      const video = await fakeVideo();
      res.writeHead(200, { 'content-type': 'video/mp4', 'content-length': video.length });
      return void res.end(video);
    }
    return googleError(res, 404, `Unknown route ${req.method} ${url.pathname}`);
  });
  fake.url = server.url;
  fake.close = server.close;
  return fake;
}

async function sendOperation(res: ServerResponse, name: string, op: Op): Promise<void> {
  if (op.outcome === 'pending' || op.pollsLeft > 0) {
    op.pollsLeft -= 1;
    return sendJson(res, 200, {
      name,
      metadata: { '@type': 'type.googleapis.com/google.ai.generativelanguage.v1beta.PredictLongRunningMetadata' },
      done: false,
    });
  }
  if (op.outcome === 'error')
    return sendJson(res, 200, { name, done: true, error: { code: 13, message: 'Video generation failed due to an internal error.' } });
  const type = 'type.googleapis.com/google.ai.generativelanguage.v1beta.PredictLongRunningResponse';
  if (op.outcome === 'blocked') {
    const reasons = ['We encountered an issue with the input image. Please try a different image. Support codes: 58061214'];
    return sendJson(res, 200, {
      name,
      done: true,
      response: { '@type': type, generateVideoResponse: { raiMediaFilteredCount: 1, raiMediaFilteredReasons: reasons } },
    });
  }
  const video =
    op.delivery === 'inline'
      ? { encodedVideo: (await fakeVideo()).toString('base64'), encoding: 'video/mp4' }
      : { uri: `https://generativelanguage.googleapis.com/v1beta/files/${op.fileId}:download?alt=media` };
  return sendJson(res, 200, { name, done: true, response: { '@type': type, generateVideoResponse: { generatedSamples: [{ video }] } } });
}
