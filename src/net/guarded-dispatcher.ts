import dns from 'node:dns';
import net from 'node:net';
import { Agent, buildConnector, type Dispatcher } from 'undici';
import { forbiddenAddressReason } from './address-policy.js';
import { isAllowListedHost } from './allow-list.js';
import { GuardedFetchError } from './guard-error.js';

const NOT_ALLOWED = 'only public internet addresses can be fetched unless the operator allow-lists them';

export function forbiddenAddressError(host: string, address: string, reason: string): GuardedFetchError {
  const subject = host === address ? address : `host ${host} resolves to ${address}, which`;
  return new GuardedFetchError('forbidden_address', `${subject} is ${reason}; ${NOT_ALLOWED}`);
}

/**
 * A `net.connect` lookup that resolves every address of the host and refuses the host if
 * any of them is forbidden. Because the check happens here, at connect time, on the very
 * addresses the socket will use, a DNS answer that changes between a pre-check and the
 * connect (rebinding) cannot slip through.
 */
export function guardedLookup(allowList: readonly string[], port: number): net.LookupFunction {
  return (hostname, options, callback) => {
    dns.lookup(hostname, { all: true, verbatim: true }, (err, addresses) => {
      if (err || addresses.length === 0) {
        callback(new GuardedFetchError('dns', `could not resolve host ${hostname}`, { cause: err }), '');
        return;
      }
      if (!isAllowListedHost(hostname, allowList, port)) {
        for (const { address } of addresses) {
          const reason = forbiddenAddressReason(address, allowList, port);
          if (reason !== null) {
            callback(forbiddenAddressError(hostname, address, reason), '');
            return;
          }
        }
      }
      const wanted = options.family === 4 || options.family === 6 ? options.family : 0;
      const usable = addresses.filter((a) => wanted === 0 || a.family === wanted);
      if (options.all) {
        callback(null, usable);
        return;
      }
      const first = usable[0];
      if (!first) callback(new GuardedFetchError('dns', `host ${hostname} has no IPv${wanted} address`), '');
      else callback(null, first.address, first.family);
    });
  };
}

/**
 * An undici `Dispatcher` that only ever connects to allowed addresses: literal IPs are
 * checked before connecting (Node skips the lookup for them) and host names through
 * `guardedLookup`. Use it for every request whose URL came from a client.
 * Close it (`await d.close()`) when done.
 */
export function createGuardedDispatcher(policy: { allowList: readonly string[] }): Dispatcher {
  // The allow-list admits an address on given ports only, so the lookup must know the port: one
  // connector per port (a dispatcher sees a handful: one per redirect hop at most).
  const connectors = new Map<number, buildConnector.connector>();
  const connectorFor = (port: number): buildConnector.connector => {
    let connector = connectors.get(port);
    if (!connector) connectors.set(port, (connector = buildConnector({ lookup: guardedLookup(policy.allowList, port) })));
    return connector;
  };
  return new Agent({
    connect: (options, callback) => {
      const port = options.port ? Number(options.port) : options.protocol === 'https:' ? 443 : 80;
      if (net.isIP(options.hostname) !== 0) {
        const reason = forbiddenAddressReason(options.hostname, policy.allowList, port);
        if (reason !== null) {
          callback(forbiddenAddressError(options.hostname, options.hostname, reason), null);
          return;
        }
      }
      connectorFor(port)(options, callback);
    },
  });
}
