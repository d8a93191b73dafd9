// Turns a destination host into an address. Injectable, so that tests can resolve names without DNS and the
// integration layer can put RFC 3263 (NAPTR/SRV) in front of it later.

import { lookup } from 'node:dns/promises';
import { isIP } from 'node:net';

export interface ResolvedAddress {
  readonly address: string;
  readonly family: 4 | 6;
}

/** Resolves a host name to one address; rejects when it cannot. Never called with a numeric address. */
export type HostResolver = (host: string) => Promise<ResolvedAddress>;

/** The system resolver (getaddrinfo: /etc/hosts, then DNS), first address. */
export const systemHostResolver: HostResolver = async (host) => {
  const result = await lookup(host);
  return { address: result.address, family: result.family === 6 ? 6 : 4 };
};

/** The family of a numeric address, or undefined for a name. Accepts IPv6 in brackets. */
export function numericAddress(host: string): ResolvedAddress | undefined {
  const bare = host.startsWith('[') && host.endsWith(']') ? host.slice(1, -1) : host;
  const family = isIP(bare);
  return family === 0 ? undefined : { address: bare, family: family === 6 ? 6 : 4 };
}
