import { EngineError } from '../engine.js';
import { UpstreamHttpError } from '../remote/upstream.js';

/**
 * Segmind's answers → Reelay failures. 401/403 and 406 are the operator's account, not the
 * client's fault, so they are `engine_error` (refunded) with a message that tells the operator
 * what to fix; 400 is the client's input.
 */
export function segmindFatal(err: unknown): EngineError {
  if (err instanceof UpstreamHttpError) {
    if (err.status === 400) return new EngineError('invalid_input', `Segmind rejected the request: ${err.message}`, { cause: err });
    if (err.status === 401 || err.status === 403) {
      return new EngineError('engine_error', `Segmind refused the operator's API key (HTTP ${err.status}; check SEGMIND_API_KEY): ${err.message}`, {
        cause: err,
      });
    }
    if (err.status === 406) {
      return new EngineError('engine_error', `The operator's Segmind account has insufficient credits: ${err.message}`, { cause: err });
    }
    return new EngineError('engine_error', `Segmind answered HTTP ${err.status}: ${err.message}`, { cause: err });
  }
  return new EngineError('engine_error', `Segmind call failed: ${err instanceof Error ? err.message : String(err)}`, { cause: err });
}

/**
 * Segmind's FAILED bodies carry only a free-text `error`; no code says "moderation". Our rule:
 * a message naming a safety/moderation/NSFW/content-policy filter is `content_blocked` (not
 * refunded, like Veo's RAI filter); anything else is `engine_error` (refunded).
 */
const CONTENT_BLOCK =
  /\b(nsfw|safety|moderation|content[ _-]?(policy|filter|moderation|blocked)|inappropriate|prohibited content|blocked by|responsible ai|rai)\b/i;

export function failedBody(error: string | undefined): EngineError {
  const message = error?.trim() || 'no error message';
  if (CONTENT_BLOCK.test(message)) return new EngineError('content_blocked', `Segmind blocked the content: ${message}`);
  return new EngineError('engine_error', `Segmind failed the request: ${message}`);
}
