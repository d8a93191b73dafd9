// Toll-fraud protection for a phone that accepts inbound calls: a request is served only when it comes from a
// network the profile allows — Zentrunk's signalling ranges (BEHAVIOUR.md §2.2) by default, plus the address of
// the trunk the phone calls through (the emulator on loopback, or a lab proxy). Everything else is answered 403
// and reported, so that a scanner dialling the phone's public port cannot ring it or place calls through it.

import { networkContains, parseIpAddress, parseIpNetwork, type IpNetwork } from '../policy/index.js';

export class InboundSourceGuard {
  readonly #networks: IpNetwork[];

  /** `sources` are CIDRs or bare addresses; malformed entries are ignored (the profile schema refuses them). */
  constructor(sources: readonly string[]) {
    this.#networks = sources.map(parseIpNetwork).filter((n): n is IpNetwork => n !== undefined);
  }

  /** Adds one more allowed address or network (the trunk's resolved address at start). */
  allow(source: string): void {
    const network = parseIpNetwork(source);
    if (network !== undefined) this.#networks.push(network);
  }

  /** Whether a request from `address` (as the socket saw it) may be served. */
  allows(address: string): boolean {
    const parsed = parseIpAddress(address);
    if (parsed === undefined) return false;
    return this.#networks.some((network) => networkContains(network, parsed));
  }
}
