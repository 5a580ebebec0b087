import net from 'node:net';
import ipaddr from 'ipaddr.js';
import { parseAllowList, portAllowed, rangesHolding, type ParsedAllowList } from './allow-list.js';

const IPV4_WORDS: Record<string, string> = {
  unspecified: 'an unspecified address',
  broadcast: 'a broadcast address',
  multicast: 'a multicast address',
  linkLocal: 'a link-local address',
  loopback: 'a loopback address',
  carrierGradeNat: 'a carrier-grade NAT address',
  private: 'a private-network address',
  reserved: 'a reserved address',
};

const IPV6_WORDS: Record<string, string> = {
  unspecified: 'an unspecified address',
  linkLocal: 'a link-local address',
  multicast: 'a multicast address',
  loopback: 'a loopback address',
  uniqueLocal: 'a private-network (unique local) address',
  deprecatedSiteLocal: 'a site-local address',
  teredo: 'a Teredo tunnel address',
  reserved: 'a reserved address',
};

// Only 2000::/3 is allocated as global unicast; anything else ipaddr.js calls "unicast"
// (for example 4000::/3) is unassigned and has no business being a fetch target.
const GLOBAL_UNICAST_V6 = ipaddr.parseCIDR('2000::/3');
// The local-use NAT64 prefix (RFC 8215) embeds IPv4 at operator-chosen positions, so it
// cannot be decoded reliably; it is refused as a whole.
const LOCAL_NAT64 = ipaddr.parseCIDR('64:ff9b:1::/48');
const WELL_KNOWN_NAT64 = ipaddr.parseCIDR('64:ff9b::/96');
const IPV4_COMPATIBLE = ipaddr.parseCIDR('::/96');

function ipv4FromParts(high: number, low: number): ipaddr.IPv4 {
  return new ipaddr.IPv4([high >> 8, high & 0xff, low >> 8, low & 0xff]);
}

/**
 * The IPv4 address an IPv6 address stands for, if it is one of the forms that reach an
 * IPv4 host: mapped (::ffff:a.b.c.d), translated (::ffff:0:a.b.c.d), compatible
 * (::a.b.c.d), well-known NAT64 (64:ff9b::a.b.c.d) or 6to4 (2002:aabb:ccdd::).
 */
function embeddedIpv4(ip: ipaddr.IPv6): ipaddr.IPv4 | null {
  const p = ip.parts;
  const range = ip.range();
  if (range === 'ipv4Mapped') return ip.toIPv4Address();
  if (range === 'rfc6145' || ip.match(WELL_KNOWN_NAT64)) return ipv4FromParts(p[6] ?? 0, p[7] ?? 0);
  if (range === '6to4') return ipv4FromParts(p[1] ?? 0, p[2] ?? 0);
  if (ip.match(IPV4_COMPATIBLE) && range !== 'unspecified' && range !== 'loopback') {
    return ipv4FromParts(p[6] ?? 0, p[7] ?? 0);
  }
  return null;
}

function ipv4Reason(ip: ipaddr.IPv4): string | null {
  const range = ip.range();
  if (range === 'unicast') return null;
  if (ip.toString() === '169.254.169.254') return 'the cloud metadata address';
  return IPV4_WORDS[range] ?? 'a special-purpose address';
}

function ipv6Reason(ip: ipaddr.IPv6): string | null {
  const range = ip.range();
  if (ip.match(LOCAL_NAT64)) return 'a local-use NAT64 address';
  const words = IPV6_WORDS[range];
  if (words) return words;
  if (range === 'unicast' && ip.match(GLOBAL_UNICAST_V6)) return null;
  return 'a special-purpose address';
}

/**
 * Why `ip` may not be fetched from, as words for an error message ("a loopback address"),
 * or null when it is a public address or allow-listed. Anything that does not parse as an
 * IP address is refused: this guard fails closed.
 */
export function forbiddenAddressReason(ip: string, allowList: readonly string[], port: number): string | null {
  const text = ip.replace(/^\[(.*)\]$/, '$1');
  if (net.isIP(text) === 0) return 'not a valid IP address';
  const address = ipaddr.parse(text);
  const allowed = parseAllowList(allowList);
  const verdict = allowListVerdict(allowed, address, port);
  if (verdict === 'allowed') return null;
  if (address instanceof ipaddr.IPv4) return withPortNote(ipv4Reason(address), verdict, port);

  const inner = embeddedIpv4(address);
  if (inner !== null) {
    const innerVerdict = allowListVerdict(allowed, inner, port);
    if (innerVerdict === 'allowed') return null;
    const reason = ipv4Reason(inner);
    if (reason !== null) return withPortNote(`${reason} (${inner.toString()}) in IPv6 form`, innerVerdict, port);
    // ::a.b.c.d was deprecated in 2006 and is routed by no one; a public host never uses it.
    if (address.match(IPV4_COMPATIBLE)) return 'a deprecated IPv4-compatible address';
    return null;
  }
  return withPortNote(ipv6Reason(address), verdict, port);
}

type Verdict = 'allowed' | 'other_port' | 'not_listed';

/** Whether the allow-list admits `address` on `port`, or holds it only for other ports. */
function allowListVerdict(list: ParsedAllowList, address: ipaddr.IPv4 | ipaddr.IPv6, port: number): Verdict {
  const holding = rangesHolding(list, address);
  if (holding.some((entry) => portAllowed(entry.ports, port))) return 'allowed';
  return holding.length > 0 ? 'other_port' : 'not_listed';
}

/** Says what to fix when the address is allow-listed, but not for this port. */
function withPortNote(reason: string | null, verdict: Verdict, port: number): string | null {
  if (reason === null || verdict !== 'other_port') return reason;
  return `${reason} allow-listed for other ports, not ${port} (an entry without a port admits only 80 and 443; add :${port} or :*)`;
}

/**
 * True when connecting to `ip` is refused: loopback, private, link-local, CGNAT,
 * multicast, broadcast, unspecified, reserved or otherwise special ranges, including the
 * IPv6 forms that embed such an IPv4 address; unless `allowList` (CIDRs or IPs) covers it.
 */
export function isForbiddenAddress(ip: string, allowList: readonly string[], port: number): boolean {
  return forbiddenAddressReason(ip, allowList, port) !== null;
}
