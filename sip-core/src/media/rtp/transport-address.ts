import { hostAndPort } from '../../common/host-port.js';

/** A UDP endpoint: where a datagram came from or goes to. */
export interface TransportAddress {
  readonly address: string;
  readonly port: number;
}

export function sameTransportAddress(
  a: TransportAddress | undefined,
  b: TransportAddress | undefined,
): boolean {
  return a !== undefined && b !== undefined && a.port === b.port && a.address === b.address;
}

export function formatTransportAddress(a: TransportAddress): string {
  return hostAndPort(a.address, a.port);
}
