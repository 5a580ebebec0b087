/** How outgoing fetches are guarded; shared by image URLs and webhook delivery. */
export interface FetchPolicy {
  /** Budget for the whole fetch: every hop, every connect and the body read. */
  timeoutMs: number;
  maxRedirects: number;
  /**
   * Operator allow-list: CIDRs ("127.0.0.0/8", "::1/128"), single IPs or host names
   * ("minio.internal", "*.corp.example"). Matching destinations bypass the private-address ban.
   */
  allowList: string[];
  userAgent?: string;
}

export const DEFAULT_FETCH_POLICY: FetchPolicy = Object.freeze({
  timeoutMs: 15_000,
  maxRedirects: 3,
  allowList: [],
  userAgent: 'Reelay (image fetch)',
});

/** Longest URL we are willing to fetch, for the first hop and every redirect. */
export const MAX_URL_LENGTH = 2048;

/** "15 s", "0.3 s": timeouts are quoted in error messages. */
export function formatSeconds(ms: number): string {
  return `${Math.round(ms / 10) / 100} s`;
}
