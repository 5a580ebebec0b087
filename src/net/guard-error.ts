/** What went wrong in a guarded fetch; callers map these to their own wording (an image 400, a webhook retry). */
export type GuardFailure =
  'bad_url' | 'scheme' | 'forbidden_address' | 'dns' | 'connect' | 'tls' | 'timeout' | 'aborted' | 'too_many_redirects' | 'too_large' | 'network';

/** The only error `guardedFetch` and the guarded dispatcher produce; `message` is a sentence fit for a client. */
export class GuardedFetchError extends Error {
  readonly reason: GuardFailure;

  constructor(reason: GuardFailure, message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'GuardedFetchError';
    this.reason = reason;
  }
}
