import { lookup } from 'node:dns/promises';
import net from 'node:net';
import { isAllowListedHost } from './allow-list.js';
import { isForbiddenAddress } from './address-policy.js';
import { checkTargetUrl, urlPort } from './url-check.js';

/**
 * Checks a submit's `webhook` URL at submit time, so a bad one is a 400 now rather than a silent
 * failed delivery later: http(s) only, at most 2,048 characters, and no loopback, private or
 * reserved address (literal, or any address its host name resolves to) unless allow-listed.
 * Delivery re-checks at connect time, so DNS changing later cannot slip through either.
 * Returns a problem message, or null when the URL is acceptable.
 */
export async function webhookUrlProblem(value: unknown, allowList: readonly string[]): Promise<string | null> {
  if (typeof value !== 'string' || value === '') return 'must be an http(s) URL';
  let url: URL;
  try {
    url = checkTargetUrl(value, allowList);
  } catch (err) {
    return (err as Error).message;
  }
  const host = url.hostname.replace(/^\[(.*)\]$/, '$1');
  const port = urlPort(url);
  if (net.isIP(host) !== 0 || isAllowListedHost(host, allowList, port)) return null;
  try {
    const addresses = await lookup(host, { all: true, verbatim: true });
    const bad = addresses.find((a) => isForbiddenAddress(a.address, allowList, port));
    return bad ? `host ${host} resolves to ${bad.address}, a private or reserved address that webhooks may not reach` : null;
  } catch {
    return `could not resolve host ${host}`;
  }
}
