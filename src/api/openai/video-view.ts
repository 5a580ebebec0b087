import type { FailureCode, RequestRecord, RequestStatus } from '../../core/types.js';
import { compactId, expandId, unixSeconds } from '../door-ids.js';

/** OpenAI's `Video` object, built from a request row (timestamps in unix seconds). */
export type Video = Record<string, unknown> & { id: string };

const STATUS: Record<RequestStatus, string> = { QUEUED: 'queued', PROCESSING: 'in_progress', COMPLETED: 'completed', FAILED: 'failed' };

/** `size` of each aspect ratio: the mapped models render 1280×720 or 720×1280. */
export const SIZE_OF_ASPECT = { '16:9': '1280x720', '9:16': '720x1280' } as const;

/** OpenAI's code for a moderation refusal (UNVERIFIED for videos); Reelay's own codes otherwise. */
const CODE: Partial<Record<FailureCode, string>> = { content_blocked: 'moderation_blocked' };

export const videoId = (r: Pick<RequestRecord, 'id'>): string => `video_${compactId(r.id)}`;

/** The request id inside a `video_…` id, or undefined for anything else. */
export const requestIdOf = (id: string): string | undefined => (id.startsWith('video_') ? expandId(id.slice('video_'.length)) : undefined);

export function videoView(r: RequestRecord): Video {
  const finished = r.status === 'COMPLETED' || r.status === 'FAILED';
  return {
    id: videoId(r),
    object: 'video',
    model: r.doorModel ?? r.model,
    status: STATUS[r.status],
    progress: r.status === 'COMPLETED' ? 100 : r.progress,
    created_at: unixSeconds(r.createdAt),
    completed_at: finished ? unixSeconds(r.completedAt) : null,
    expires_at: unixSeconds(r.expiresAt),
    seconds: String(r.params.duration),
    size: SIZE_OF_ASPECT[r.params.aspect_ratio],
    prompt: r.params.prompt,
    remixed_from_video_id: null,
    error:
      r.status === 'FAILED'
        ? { code: CODE[r.failureCode ?? 'engine_error'] ?? r.failureCode ?? 'engine_error', message: r.error ?? 'the request failed' }
        : null,
  };
}
