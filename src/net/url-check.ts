import net from 'node:net';
import { forbiddenAddressReason } from './address-policy.js';
import { MAX_URL_LENGTH } from './fetch-policy.js';
import { forbiddenAddressError } from './guarded-dispatcher.js';
import { GuardedFetchError } from './guard-error.js';

/** Long URLs are cut in messages: they are echoed back to the client and into logs. */
export function shortUrl(url: string): string {
  return url.length > 120 ? `${url.slice(0, 117)}...` : url;
}

/** The port a URL connects to: its own, or its scheme's. */
export function urlPort(url: URL): number {
  return url.port ? Number(url.port) : url.protocol === 'https:' ? 443 : 80;
}

/**
 * Parses and checks one hop's URL before any connection: length, scheme, and a literal IP
 * host against the address policy (host names are checked at connect time, after DNS).
 */
export function checkTargetUrl(raw: string, allowList: readonly string[]): URL {
  if (raw.length > MAX_URL_LENGTH) {
    throw new GuardedFetchError('bad_url', `URL is ${raw.length} characters long; the limit is ${MAX_URL_LENGTH}`);
  }
  let url: URL;
  try {
    url = new URL(raw);
  } catch (err) {
    throw new GuardedFetchError('bad_url', `"${shortUrl(raw)}" is not a valid URL`, { cause: err });
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') {
    throw new GuardedFetchError('scheme', `${url.protocol} URLs are not allowed; only http:// and https:// URLs can be fetched`);
  }
  if (url.hostname === '') throw new GuardedFetchError('bad_url', `"${shortUrl(raw)}" has no host`);
  // WHATWG URL parsing already turned 0x7f.1, 2130706433 and friends into dotted quads.
  const host = url.hostname.replace(/^\[(.*)\]$/, '$1');
  if (net.isIP(host) !== 0) {
    const reason = forbiddenAddressReason(host, allowList, urlPort(url));
    if (reason !== null) throw forbiddenAddressError(host, host, reason);
  }
  return url;
}
