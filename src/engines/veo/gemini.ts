import { open } from 'node:fs/promises';
import { join } from 'node:path';
import { ApiError, GoogleGenAI, type GenerateVideosOperation } from '@google/genai';
import { EngineError, type EngineJob } from '../engine.js';
import { assertMp4 } from '../remote/outcome.js';
import { firstVideo, type VeoDone } from './outcome.js';
import { veoImage, type VeoGenerationOptions } from './params.js';
import { parseErrorBody } from '../remote/upstream.js';
import type { VeoCall } from './run.js';

/**
 * Veo through the Gemini API with the official `@google/genai` SDK. The SDK refuses `seed` in
 * this mode (client-side: "seed parameter is only supported in ... not in Gemini Developer API
 * mode"), so the seed is never sent and the result says the seed was not honoured.
 */
export interface GeminiModeOptions {
  apiKey: string;
  /** Scheme + host only; the SDK appends `/v1beta/`. Default: Google's endpoint. Tests point it at a fake. */
  baseUrl?: string;
}

export function createGeminiCall(opts: GeminiModeOptions, gen: VeoGenerationOptions & { model: string }): VeoCall {
  // One client for all requests: it holds only the key and base URL, no per-request state.
  const ai = new GoogleGenAI({ apiKey: opts.apiKey, ...(opts.baseUrl ? { httpOptions: { baseUrl: opts.baseUrl } } : {}) });
  const apiBase = (opts.baseUrl ?? 'https://generativelanguage.googleapis.com').replace(/\/+$/, '') + '/v1beta/';

  return {
    seedHonoured: false,
    async start(job: EngineJob, signal: AbortSignal) {
      const image = await veoImage(job.image);
      const op = await sdk(() =>
        ai.models.generateVideos({
          model: gen.model,
          source: { ...(job.params.prompt ? { prompt: job.params.prompt } : {}), image: { imageBytes: image.bytesBase64Encoded, mimeType: image.mimeType } },
          config: {
            numberOfVideos: 1,
            durationSeconds: job.params.duration,
            aspectRatio: job.params.aspect_ratio,
            ...(gen.personGeneration ? { personGeneration: gen.personGeneration } : {}),
            ...(gen.negativePrompt ? { negativePrompt: gen.negativePrompt } : {}),
            ...(gen.enhancePrompt !== undefined ? { enhancePrompt: gen.enhancePrompt } : {}),
            abortSignal: signal,
          },
        }),
      );
      return { handle: op, done: op.done ? toDone(op) : null };
    },
    async poll(handle: GenerateVideosOperation, signal: AbortSignal) {
      const op = await sdk(() => ai.operations.getVideosOperation({ operation: handle, config: { abortSignal: signal } }));
      return { handle: op, done: op.done ? toDone(op) : null };
    },
    async download(handle: GenerateVideosOperation, workDir: string, signal: AbortSignal) {
      const sample = firstVideo(toDone(handle));
      const generated = handle.response?.generatedVideos?.find((g) => g.video?.uri === sample.uri && g.video?.videoBytes === sample.bytesBase64);
      const path = join(workDir, 'output.mp4');
      // The SDK turns `https://…/files/{id}:download?alt=media` into `{baseUrl}/v1beta/files/{id}:download`
      // with the key header, or writes inline bytes when there is no URI.
      await sdk(() =>
        ai.files.download({
          file: generated ?? { video: { uri: sample.uri, videoBytes: sample.bytesBase64 } },
          downloadPath: path,
          config: { abortSignal: signal },
        }),
      );
      await checkFile(path);
      return path;
    },
    /**
     * Best effort on cancel: google.longrunning `DELETE {name}` (documented for generativelanguage
     * v1 `operations/**`; for `models/*\/operations/*` UNVERIFIED). Google documents delete as
     * "no longer interested", not a cancel: the generation may still be billed.
     */
    async abandon(handle: GenerateVideosOperation) {
      if (!handle.name) return;
      await fetch(apiBase + handle.name, { method: 'DELETE', headers: { 'x-goog-api-key': opts.apiKey }, signal: AbortSignal.timeout(5_000) });
    },
  } satisfies VeoCall<GenerateVideosOperation>;
}

/** SDK errors carry the HTTP status and the JSON body as the message; make them UpstreamHttpErrors. */
async function sdk<T>(fn: () => Promise<T>): Promise<T> {
  try {
    return await fn();
  } catch (err) {
    if (err instanceof ApiError) throw parseErrorBody(err.status, err.message);
    // The SDK validates some things client-side (plain Error, not ApiError): that is our bug, not the network's.
    if (err instanceof Error && /only supported in|Could not extract file name|Failed to download/i.test(err.message)) {
      throw new EngineError('engine_error', `Gemini SDK rejected the call: ${err.message}`, { cause: err });
    }
    throw err;
  }
}

function toDone(op: GenerateVideosOperation): VeoDone {
  const r = op.response;
  const error = op.error as { code?: number; message?: string } | undefined;
  return {
    videos: (r?.generatedVideos ?? []).map((g) => ({ uri: g.video?.uri, bytesBase64: g.video?.videoBytes, mimeType: g.video?.mimeType })),
    raiMediaFilteredCount: r?.raiMediaFilteredCount ?? 0,
    raiMediaFilteredReasons: r?.raiMediaFilteredReasons ?? [],
    ...(error ? { error } : {}),
  };
}

async function checkFile(path: string): Promise<void> {
  const fh = await open(path, 'r');
  try {
    const head = Buffer.alloc(16);
    const { bytesRead } = await fh.read(head, 0, 16, 0);
    assertMp4(head.subarray(0, bytesRead));
  } finally {
    await fh.close();
  }
}
