import net from 'node:net';
import ipaddr from 'ipaddr.js';

type Address = ipaddr.IPv4 | ipaddr.IPv6;

/** An operator allow-list, parsed once: CIDR ranges (single IPs become /32 or /128) and host names. */
export interface ParsedAllowList {
  ranges: [Address, number][];
  /** Lower-case names without a trailing dot; "*.example.com" is kept as ".example.com". */
  hosts: string[];
}

const HOST_NAME = /^(\*\.)?([a-z0-9_]([a-z0-9_-]*[a-z0-9_])?\.)*[a-z0-9_]([a-z0-9_-]*[a-z0-9_])?$/;

function normalizeHost(host: string): string {
  return host.trim().toLowerCase().replace(/\.$/, '');
}

function parseEntry(entry: string): { range: [Address, number] } | { host: string } | null {
  const text = entry.trim();
  if (text.includes('/')) return ipaddr.isValidCIDR(text) ? { range: ipaddr.parseCIDR(text) } : null;
  const bare = text.replace(/^\[(.*)\]$/, '$1');
  if (net.isIP(bare) !== 0) {
    const ip = ipaddr.parse(bare);
    return { range: [ip, ip.kind() === 'ipv4' ? 32 : 128] };
  }
  const host = normalizeHost(text);
  if (!HOST_NAME.test(host)) return null;
  return { host: host.startsWith('*.') ? host.slice(1) : host };
}

/** Entries that are neither a CIDR, an IP nor a host name; config loading should refuse them. */
export function allowListProblems(entries: readonly string[]): string[] {
  return entries.filter((entry) => parseEntry(entry) === null).map((entry) => `"${entry}" is not a CIDR range, an IP address or a host name`);
}

// Allow-lists come from config and are checked on every connect, so parsing is cached. The
// key is the content, not the array, so a list mutated after first use is never stale.
const cache = new Map<string, ParsedAllowList>();
const CACHE_LIMIT = 64;

export function parseAllowList(entries: readonly string[]): ParsedAllowList {
  const key = entries.join('\n');
  const cached = cache.get(key);
  if (cached) return cached;
  const parsed: ParsedAllowList = { ranges: [], hosts: [] };
  for (const entry of entries) {
    // Invalid entries are ignored here rather than thrown: a bad entry must never turn a
    // client's fetch into a 500. `allowListProblems` is how config reports them.
    const item = parseEntry(entry);
    if (item === null) continue;
    if ('range' in item) parsed.ranges.push(item.range);
    else parsed.hosts.push(item.host);
  }
  if (cache.size >= CACHE_LIMIT) cache.clear();
  cache.set(key, parsed);
  return parsed;
}

export function rangesContain(list: ParsedAllowList, address: Address): boolean {
  return list.ranges.some(([base, bits]) => base.kind() === address.kind() && address.match(base, bits));
}

/** True when `host` (a URL host name, not an IP) is allow-listed by name. */
export function isAllowListedHost(host: string, entries: readonly string[]): boolean {
  const name = normalizeHost(host);
  return parseAllowList(entries).hosts.some((allowed) => (allowed.startsWith('.') ? name.endsWith(allowed) : name === allowed));
}
