import { EngineError } from '../engine.js';

/**
 * A finished Veo operation reduced to what Reelay needs, the same for the Gemini API and Vertex
 * (their JSON differs: generateVideoResponse.generatedSamples[].video vs response.videos[]).
 */
export interface VeoDone {
  videos: VeoVideo[];
  raiMediaFilteredCount: number;
  raiMediaFilteredReasons: string[];
  /** google.rpc.Status of a failed operation. */
  error?: { code?: number; message?: string };
}

/** One generated sample: inline bytes, or a URI (https on the Gemini API, gs:// on Vertex). */
export interface VeoVideo {
  bytesBase64?: string;
  uri?: string;
  mimeType?: string;
}

/**
 * Picks the first video, or throws the failure Reelay reports: an operation error is
 * `engine_error` with Google's message; no samples but RAI-filtered is `content_blocked` with
 * Google's reasons (not refunded, per docs/api.md §7); neither is an `engine_error` we cannot explain.
 */
export function firstVideo(done: VeoDone): VeoVideo {
  if (done.error) {
    const code = done.error.code !== undefined ? ` (code ${done.error.code})` : '';
    throw new EngineError('engine_error', `Veo operation failed${code}: ${done.error.message ?? 'no message'}`);
  }
  const video = done.videos[0];
  if (video && (video.bytesBase64 || video.uri)) return video;
  if (done.raiMediaFilteredCount > 0) {
    const reasons = done.raiMediaFilteredReasons.length > 0 ? done.raiMediaFilteredReasons.join('; ') : 'no reason given';
    throw new EngineError('content_blocked', `Veo filtered the output (responsible AI): ${reasons}`);
  }
  throw new EngineError('engine_error', 'Veo finished without a video and without a filter reason');
}
