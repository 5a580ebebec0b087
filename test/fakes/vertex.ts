import { randomUUID } from 'node:crypto';
import type { ServerResponse } from 'node:http';
import { defaultScenario, FAILURE_MESSAGES, takeFailure, type FakeScenario } from './scenario.js';
import { googleError, parseJson, sendJson, startServer, type Recorded } from './http.js';
import { isObject, validatePredictBody } from './veo-validate.js';
import { fakeVideo } from './video.js';

/**
 * A fake Vertex AI Veo endpoint plus the Cloud Storage JSON API media download, on one port:
 * `/{v1|v1beta1}/projects/{p}/locations/{l}/publishers/google/models/{m}:predictLongRunning`,
 * `…:fetchPredictOperation` (POST `{operationName}`), `/storage/v1/b/{bucket}/o/{object}?alt=media`.
 * Videos come back inline (`bytesBase64Encoded`) unless the request set `parameters.storageUri`.
 */
export interface VertexFake {
  url: string;
  token: string;
  scenario: FakeScenario;
  requests: Recorded[];
  polls: number;
  close(): Promise<void>;
}

interface Op {
  pollsLeft: number;
  outcome: FakeScenario['outcome'];
  storageUri: string | null;
}

const MODEL_PATH = /^\/(v1|v1beta1)\/(projects\/[^/]+\/locations\/[^/]+\/publishers\/google\/models\/[^/:]+):(predictLongRunning|fetchPredictOperation)$/;

export async function startVertexFake(token = 'test-access-token'): Promise<VertexFake> {
  const ops = new Map<string, Op>();
  const objects = new Map<string, Buffer>();
  const fake: VertexFake = { url: '', token, scenario: defaultScenario(), requests: [], polls: 0, close: async () => {} };
  const server = await startServer(async (req, res, raw) => {
    const url = new URL(req.url ?? '/', 'http://fake');
    const body = parseJson(raw);
    fake.requests.push({ method: req.method ?? '', path: url.pathname, headers: req.headers, body });
    if (fake.scenario.hang) return;
    if (req.headers.authorization !== `Bearer ${token}`) {
      return googleError(
        res,
        401,
        'Request had invalid authentication credentials. Expected OAuth 2 access token, login cookie or other valid authentication credential.',
      );
    }
    const failure = takeFailure(fake.scenario);
    if (failure) return googleError(res, failure, FAILURE_MESSAGES[failure]!);

    let m: RegExpExecArray | null;
    if (req.method === 'POST' && (m = MODEL_PATH.exec(url.pathname))) {
      const modelPath = m[2]!;
      if (m[3] === 'predictLongRunning') {
        const problem = validatePredictBody(body, 'vertex');
        if (problem) return googleError(res, 400, problem);
        const params = isObject(body) && isObject(body.parameters) ? body.parameters : {};
        const id = randomUUID();
        const s = fake.scenario;
        ops.set(id, { pollsLeft: s.pollsBeforeDone, outcome: s.outcome, storageUri: typeof params.storageUri === 'string' ? params.storageUri : null });
        return sendJson(res, 200, { name: `${modelPath}/operations/${id}` });
      }
      const name = isObject(body) && typeof body.operationName === 'string' ? body.operationName : '';
      const id = name.startsWith(`${modelPath}/operations/`) ? name.slice(modelPath.length + '/operations/'.length) : '';
      const op = ops.get(id);
      if (!op) return googleError(res, 404, `Operation ${name} not found`);
      fake.polls += 1;
      return sendOperation(res, name, id, op, objects);
    }
    if (req.method === 'GET' && (m = /^\/storage\/v1\/b\/([^/]+)\/o\/([^/]+)$/.exec(url.pathname))) {
      if (url.searchParams.get('alt') !== 'media') return googleError(res, 400, 'alt=media is required for a download');
      const object = objects.get(`${decodeURIComponent(m[1]!)}/${decodeURIComponent(m[2]!)}`);
      if (!object) return googleError(res, 404, 'No such object');
      res.writeHead(200, { 'content-type': 'video/mp4', 'content-length': object.length });
      return void res.end(object);
    }
    return googleError(res, 404, `Unknown route ${req.method} ${url.pathname}`);
  });
  fake.url = server.url;
  fake.close = server.close;
  return fake;
}

async function sendOperation(res: ServerResponse, name: string, id: string, op: Op, objects: Map<string, Buffer>): Promise<void> {
  if (op.outcome === 'pending' || op.pollsLeft > 0) {
    op.pollsLeft -= 1;
    return sendJson(res, 200, { name, done: false });
  }
  if (op.outcome === 'error') return sendJson(res, 200, { name, done: true, error: { code: 3, message: 'Image could not be processed.' } });
  const type = 'type.googleapis.com/cloud.ai.large_models.vision.GenerateVideoResponse';
  if (op.outcome === 'blocked') {
    const reasons = ['Unable to generate videos because the input image violates the usage guidelines. Support codes: 17301594'];
    return sendJson(res, 200, { name, done: true, response: { '@type': type, raiMediaFilteredCount: 1, raiMediaFilteredReasons: reasons } });
  }
  const bytes = await fakeVideo();
  if (op.storageUri) {
    const gs = `${op.storageUri.replace(/\/+$/, '')}/${id}/sample_0.mp4`;
    const [, bucket, object] = /^gs:\/\/([^/]+)\/(.+)$/.exec(gs)!;
    objects.set(`${bucket}/${object}`, bytes);
    return sendJson(res, 200, { name, done: true, response: { '@type': type, raiMediaFilteredCount: 0, videos: [{ gcsUri: gs, mimeType: 'video/mp4' }] } });
  }
  return sendJson(res, 200, {
    name,
    done: true,
    response: { '@type': type, raiMediaFilteredCount: 0, videos: [{ bytesBase64Encoded: bytes.toString('base64'), mimeType: 'video/mp4' }] },
  });
}
