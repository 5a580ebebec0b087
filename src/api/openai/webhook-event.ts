import type { RequestRecord } from '../../core/types.js';
import { compactId, unixSeconds } from '../door-ids.js';
import { videoId } from './video-view.js';

/**
 * The webhook body of a video made through this door: OpenAI's event shape (`video.completed` or
 * `video.failed`, with the video's id in `data`); the receiver fetches the video to learn more.
 */
export function openAiWebhookEvent(r: RequestRecord): Record<string, unknown> {
  return {
    id: `evt_${compactId(r.id)}`,
    object: 'event',
    created_at: unixSeconds(r.completedAt ?? Date.now()),
    type: r.status === 'COMPLETED' ? 'video.completed' : 'video.failed',
    data: { id: videoId(r) },
  };
}
