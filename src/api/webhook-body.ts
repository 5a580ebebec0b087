import type { RequestRecord } from '../core/types.js';
import { geminiFileUrl, operationView } from './gemini/operation-view.js';
import { openAiWebhookEvent } from './openai/webhook-event.js';
import { renderWebhookBody as segmindWebhookBody } from './segmind/webhook-body.js';

/**
 * The webhook body of a finished request in the wire format of the door it came through: Reelay's
 * own result body (docs/api.md §8), OpenAI's `video.completed`/`video.failed` event, or the Gemini
 * operation. Wired into the store at start (src/open-services.ts).
 */
export function renderWebhookBody(r: RequestRecord): string {
  if (r.door === 'openai') return JSON.stringify(openAiWebhookEvent(r));
  if (r.door === 'gemini') return JSON.stringify(operationView(r, geminiFileUrl(r.baseUrl ?? '', r)));
  return segmindWebhookBody(r);
}
