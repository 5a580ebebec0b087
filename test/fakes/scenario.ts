/** Per-test controls shared by the fakes: how an operation ends and which HTTP failures come first. */
export interface FakeScenario {
  /** success; blocked = content filter (RAI / Segmind safety); error = operation error; pending = never finishes. */
  outcome: 'success' | 'blocked' | 'error' | 'pending';
  /** Polls answered "not done" before the operation is done. */
  pollsBeforeDone: number;
  /** The next `times` HTTP calls (any route) fail with `status`; Infinity = always. */
  fail?: { status: 429 | 500 | 503; times: number };
  /** Answer nothing at all (the connection hangs) — a stuck upstream. */
  hang?: boolean;
  /** Where the video comes from: a download URI / gs:// object, or inline base64 in the operation. */
  delivery?: 'uri' | 'inline';
}

export function defaultScenario(): FakeScenario {
  return { outcome: 'success', pollsBeforeDone: 1 };
}

/** Consumes one scripted failure, if any is left. */
export function takeFailure(s: FakeScenario): 429 | 500 | 503 | null {
  if (!s.fail || s.fail.times <= 0) return null;
  s.fail.times -= 1;
  return s.fail.status;
}

export const FAILURE_MESSAGES: Record<number, string> = {
  429: 'Resource has been exhausted (e.g. check quota).',
  500: 'Internal error encountered.',
  503: 'The service is currently unavailable.',
};
