import { EngineError, type EngineJob } from '../engine.js';
import type { AccessTokenProvider } from './auth.js';
import { downloadGcs, GCS_BASE_URL } from './gcs.js';
import { writeVideo } from '../remote/outcome.js';
import { firstVideo, type VeoDone } from './outcome.js';
import { predictBody, veoImage, type VeoGenerationOptions } from './params.js';
import type { VeoCall } from './run.js';
import { httpError } from '../remote/upstream.js';

/**
 * Veo on Vertex AI over plain HTTP (the SDK's Vertex mode cannot be pointed at a test server
 * without real Google credentials): `:predictLongRunning` to start, `:fetchPredictOperation` to
 * poll, the seed passed through. Results come inline (`bytesBase64Encoded`) or, when the operator
 * sets `storageUri`, as `gs://` objects fetched with the same token.
 */
export interface VertexModeOptions {
  project: string;
  location: string;
  getAccessToken: AccessTokenProvider;
  /** Default `https://{location}-aiplatform.googleapis.com` (`https://aiplatform.googleapis.com` for `global`). */
  baseUrl?: string;
  /** Cloud Storage JSON API host for `gs://` results. Default `https://storage.googleapis.com`. */
  storageBaseUrl?: string;
  /** `gs://bucket/prefix` for Google to write videos to; omitted means inline bytes in the operation. */
  storageUri?: string;
}

interface VertexOperation {
  name?: string;
  done?: boolean;
  error?: { code?: number; message?: string };
  response?: {
    raiMediaFilteredCount?: number;
    raiMediaFilteredReasons?: string[];
    videos?: Array<{ gcsUri?: string; bytesBase64Encoded?: string; mimeType?: string }>;
  };
}

export function createVertexCall(opts: VertexModeOptions, gen: VeoGenerationOptions & { model: string }): VeoCall {
  const base = (opts.baseUrl ?? defaultVertexBase(opts.location)).replace(/\/+$/, '');
  const modelPath = `projects/${opts.project}/locations/${opts.location}/publishers/google/models/${gen.model}`;

  async function post(path: string, body: unknown, signal: AbortSignal): Promise<VertexOperation> {
    const token = await opts.getAccessToken();
    const res = await fetch(`${base}/v1/${path}`, {
      method: 'POST',
      headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json; charset=utf-8' },
      body: JSON.stringify(body),
      signal,
    });
    if (!res.ok) throw await httpError(res);
    return (await res.json()) as VertexOperation;
  }

  return {
    seedHonoured: true,
    async start(job: EngineJob, signal: AbortSignal) {
      const body = predictBody(job, await veoImage(job.image), gen, true);
      if (opts.storageUri) (body.parameters as Record<string, unknown>).storageUri = opts.storageUri;
      const op = await post(`${modelPath}:predictLongRunning`, body, signal);
      if (!op.name) throw new EngineError('engine_error', 'Vertex predictLongRunning returned no operation name');
      return { handle: op, done: op.done ? toDone(op) : null };
    },
    async poll(handle: VertexOperation, signal: AbortSignal) {
      // As the SDK does: the resource is the operation name up to `/operations/`.
      const name = handle.name!;
      const resource = name.split('/operations/')[0];
      const op = await post(`${resource}:fetchPredictOperation`, { operationName: name }, signal);
      return { handle: { ...op, name: op.name ?? name }, done: op.done ? toDone(op) : null };
    },
    async download(handle: VertexOperation, workDir: string, signal: AbortSignal) {
      const video = firstVideo(toDone(handle));
      if (video.bytesBase64) return writeVideo(workDir, Buffer.from(video.bytesBase64, 'base64'));
      const token = await opts.getAccessToken();
      return writeVideo(workDir, await downloadGcs(video.uri!, token, opts.storageBaseUrl ?? GCS_BASE_URL, signal));
    },
    // No abandon: a cancel method for publisher-model (Veo) operations is not documented, so none is sent.
  } satisfies VeoCall<VertexOperation>;
}

export function defaultVertexBase(location: string): string {
  return location === 'global' ? 'https://aiplatform.googleapis.com' : `https://${location}-aiplatform.googleapis.com`;
}

function toDone(op: VertexOperation): VeoDone {
  const r = op.response;
  return {
    videos: (r?.videos ?? []).map((v) => ({ bytesBase64: v.bytesBase64Encoded, uri: v.gcsUri, mimeType: v.mimeType })),
    raiMediaFilteredCount: r?.raiMediaFilteredCount ?? 0,
    raiMediaFilteredReasons: r?.raiMediaFilteredReasons ?? [],
    ...(op.error ? { error: op.error } : {}),
  };
}
