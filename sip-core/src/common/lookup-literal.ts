// A `lookup` for node:dgram sockets that answers IP literals at once. node:dgram resolves the destination of every
// send (and the address of bind) with `dns.lookup`, which for an IP literal answers on the next tick: a closure, a
// tick object and a deferred send per datagram. SIP and RTP destinations are nearly always literals (from Via,
// Contact and SDP), so they need no resolving and the datagram leaves inside `send`; a host name still goes through
// dns.lookup. Used by the SIP UDP endpoint and the RTP transport (docs/adr/0095).

import { type LookupOneOptions, lookup as dnsLookup } from 'node:dns';
import { isIP } from 'node:net';

export function lookupLiteral(
  hostname: string,
  options: LookupOneOptions | number,
  callback: (error: NodeJS.ErrnoException | null, address: string, family: number) => void,
): void {
  const family = isIP(hostname);
  if (family !== 0) {
    callback(null, hostname, family);
    return;
  }
  dnsLookup(hostname, typeof options === 'number' ? { family: options } : options, callback);
}
