// The DNS queries the checks make, as an interface: `dns.promises.Resolver` satisfies it as it is, and tests pass
// either a fake object or a real Resolver pointed at a responder on 127.0.0.1 (no DNS server is reachable from
// the machines this is tested on).

import type { NaptrRecord, SrvRecord } from 'node:dns';
import { Resolver } from 'node:dns/promises';
import { isIP } from 'node:net';
import type { HostResolver } from '../../sip/transport/index.js';

export interface DnsResolver {
  resolve4(hostname: string): Promise<string[]>;
  resolve6(hostname: string): Promise<string[]>;
  resolveSrv(hostname: string): Promise<SrvRecord[]>;
  resolveNaptr(hostname: string): Promise<NaptrRecord[]>;
}

export type { NaptrRecord, SrvRecord };

/** Node's resolver; with `servers` (`host` or `host:port`) it asks those instead of the system's. */
export function createDnsResolver(servers?: readonly string[]): DnsResolver {
  const resolver = new Resolver({ timeout: 3_000, tries: 2 });
  if (servers !== undefined && servers.length > 0) resolver.setServers([...servers]);
  return resolver;
}

/** Codes with which a resolver says "no such record" rather than "could not ask". */
const NO_RECORDS = new Set(['ENODATA', 'ENOTFOUND', 'NOTFOUND', 'ENONAME']);

export function isNoRecordsError(error: unknown): boolean {
  const code = (error as { code?: unknown } | undefined)?.code;
  return typeof code === 'string' && NO_RECORDS.has(code);
}

/**
 * A host resolver for the SIP transport built on the same `DnsResolver`, so that SIP goes to the addresses the
 * DNS check examined (IPv4 first, as most SIP peers on the public internet are reached over IPv4).
 */
export function hostResolverFor(resolver: DnsResolver): HostResolver {
  return async (host) => {
    if (isIP(host) !== 0) return { address: host, family: isIP(host) === 6 ? 6 : 4 };
    const v4 = await resolver.resolve4(host).catch((error: unknown) => {
      if (isNoRecordsError(error)) return [];
      throw error;
    });
    if (v4[0] !== undefined) return { address: v4[0], family: 4 };
    const v6 = await resolver.resolve6(host);
    if (v6[0] !== undefined) return { address: v6[0], family: 6 };
    throw Object.assign(new Error(`${host} has no A or AAAA record`), { code: 'ENODATA' });
  };
}
