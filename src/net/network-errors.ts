import { formatSeconds } from './fetch-policy.js';
import { GuardedFetchError } from './guard-error.js';

export interface FailureContext {
  url: URL;
  timeoutMs: number;
  /** Aborts when the total budget is spent. */
  deadline: AbortSignal;
  /** The caller's own signal, if any. */
  caller?: AbortSignal | undefined;
}

function codeOf(err: unknown): string | undefined {
  if (err instanceof AggregateError) return codeOf(err.errors[0]);
  if (err instanceof Error && 'code' in err && typeof err.code === 'string') return err.code;
  return undefined;
}

/**
 * Turns whatever undici, net, tls or dns threw into a GuardedFetchError with a sentence a
 * client can act on; the original error stays as `cause` for the logs.
 */
export function toGuardError(err: unknown, ctx: FailureContext): GuardedFetchError {
  if (err instanceof GuardedFetchError) return err;
  // The deadline is checked first: an abort surfaces under many names (AbortError,
  // RequestAbortedError, a destroyed stream) and all of them mean "too slow" here.
  if (ctx.deadline.aborted) {
    return new GuardedFetchError('timeout', `timed out after ${formatSeconds(ctx.timeoutMs)}`, { cause: err });
  }
  if (ctx.caller?.aborted) return new GuardedFetchError('aborted', 'the fetch was cancelled', { cause: err });

  const host = ctx.url.host;
  const code = codeOf(err);
  const detail = err instanceof Error ? err.message : String(err);
  switch (code) {
    case 'ENOTFOUND':
    case 'EAI_AGAIN':
    case 'EAI_NONAME':
      return new GuardedFetchError('dns', `could not resolve host ${ctx.url.hostname}`, { cause: err });
    case 'ECONNREFUSED':
      return new GuardedFetchError('connect', `connection to ${host} was refused`, { cause: err });
    case 'EHOSTUNREACH':
    case 'ENETUNREACH':
      return new GuardedFetchError('connect', `${host} is unreachable`, { cause: err });
    case 'ETIMEDOUT':
    case 'UND_ERR_CONNECT_TIMEOUT':
      return new GuardedFetchError('connect', `could not connect to ${host} (connection timed out)`, { cause: err });
    case 'ECONNRESET':
    case 'EPIPE':
    case 'UND_ERR_SOCKET':
    case 'UND_ERR_CLOSED':
      return new GuardedFetchError('network', `the connection to ${host} was closed unexpectedly`, { cause: err });
    case 'UND_ERR_HEADERS_TIMEOUT':
    case 'UND_ERR_BODY_TIMEOUT':
      return new GuardedFetchError('timeout', `${host} stopped responding`, { cause: err });
    default:
      break;
  }
  if (code !== undefined && (code.startsWith('ERR_TLS') || code.includes('CERT') || code.startsWith('ERR_SSL'))) {
    return new GuardedFetchError('tls', `TLS error talking to ${host}: ${detail}`, { cause: err });
  }
  return new GuardedFetchError('network', `could not fetch from ${host}: ${detail}`, { cause: err });
}
