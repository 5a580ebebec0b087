import type { FailureCode, RequestRecord } from '../../core/types.js';
import { compactId } from '../door-ids.js';

const RESPONSE_TYPE = 'type.googleapis.com/google.ai.generativelanguage.v1beta.PredictLongRunningResponse';
const METADATA_TYPE = 'type.googleapis.com/google.ai.generativelanguage.v1beta.PredictLongRunningMetadata';

/** google.rpc codes of failures that are not a content block. */
const RPC_CODE: Record<Exclude<FailureCode, 'content_blocked'>, number> = {
  invalid_input: 3, // INVALID_ARGUMENT
  engine_error: 13, // INTERNAL
  timeout: 4, // DEADLINE_EXCEEDED
  canceled: 1, // CANCELLED
  upstream_unavailable: 14, // UNAVAILABLE
  rate_limited: 8, // RESOURCE_EXHAUSTED
};

/** `models/{model}/operations/{hex}`: the model name the client used, and the request id without dashes. */
export const operationName = (r: Pick<RequestRecord, 'id' | 'doorModel' | 'model'>): string => `models/${r.doorModel ?? r.model}/operations/${compactId(r.id)}`;

/** Where a request's video downloads with the API key, as `ai.files.download` asks for it. */
export const geminiFileUrl = (base: string, r: Pick<RequestRecord, 'id'>): string => `${base}/gemini/v1beta/files/${compactId(r.id)}:download?alt=media`;

/**
 * The `google.longrunning.Operation` of a request, as the Gemini API answers a Veo poll. A content
 * block is `done` with `raiMediaFilteredCount`/`raiMediaFilteredReasons` and no samples, exactly as
 * Veo reports RAI filtering; every other failure is an operation `error`. `fileUrl` is where the
 * video downloads with the API key.
 */
export function operationView(r: RequestRecord, fileUrl: string): Record<string, unknown> {
  const name = operationName(r);
  if (r.status === 'QUEUED' || r.status === 'PROCESSING') return { name, metadata: { '@type': METADATA_TYPE }, done: false };
  if (r.status === 'COMPLETED') {
    return { name, done: true, response: { '@type': RESPONSE_TYPE, generateVideoResponse: { generatedSamples: [{ video: { uri: fileUrl } }] } } };
  }
  const code = r.failureCode ?? 'engine_error';
  const message = r.error ?? 'Video generation failed.';
  if (code === 'content_blocked') {
    return { name, done: true, response: { '@type': RESPONSE_TYPE, generateVideoResponse: { raiMediaFilteredCount: 1, raiMediaFilteredReasons: [message] } } };
  }
  return { name, done: true, error: { code: RPC_CODE[code], message } };
}
