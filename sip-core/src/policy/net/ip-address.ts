// IP address and CIDR handling for IP access control lists (BEHAVIOUR.md §1, §14.5: IPv4, IPv6 and CIDR strings
// such as 44.229.228.186/32) and for REFER's private-IP rule (§7). Parsing is ipaddr.js; this file decides what
// counts as a match and as private.

import ipaddr from 'ipaddr.js';

type Address = ipaddr.IPv4 | ipaddr.IPv6;

/**
 * Four decimal octets without leading zeros (ipaddr.js reads `010` as octal, so an ACL entry never has them:
 * such text takes the general path below and is refused there).
 */
const DOTTED_QUAD = /^(0|[1-9]\d{0,2})\.(0|[1-9]\d{0,2})\.(0|[1-9]\d{0,2})\.(0|[1-9]\d{0,2})$/;

/** One ACL entry: a network (a bare address is a /32 or /128). */
export interface IpNetwork {
  readonly address: Address;
  readonly prefixLength: number;
}

/**
 * Parses an address, unwrapping IPv4-mapped IPv6 (`::ffff:10.0.0.1`) so a dual-stack socket's view of an IPv4
 * peer matches an IPv4 ACL entry. Returns undefined for anything else.
 */
export function parseIpAddress(text: string): Address | undefined {
  // Nearly every address is a plain dotted quad (a socket's view of an IPv4 peer, on every request): read it
  // directly. ipaddr.isValid tries its IPv6 patterns first, ~1 % of the emulator's main thread under load.
  const quad = DOTTED_QUAD.exec(text);
  if (quad !== null) {
    const octets = [Number(quad[1]), Number(quad[2]), Number(quad[3]), Number(quad[4])];
    return octets.every((octet) => octet <= 255) ? new ipaddr.IPv4(octets) : undefined;
  }
  const trimmed = text.trim().replace(/^\[(.*)\]$/, '$1');
  if (!ipaddr.isValid(trimmed)) return undefined;
  try {
    // ipaddr.isValid accepts legacy IPv4 forms such as "10" or "0x0a.1"; an ACL entry must be dotted-quad.
    if (!trimmed.includes(':') && !ipaddr.IPv4.isValidFourPartDecimal(trimmed)) return undefined;
    return ipaddr.process(trimmed);
  } catch {
    return undefined;
  }
}

/** Parses `a.b.c.d`, `a.b.c.d/n`, an IPv6 address or `v6/n`; undefined when malformed. */
export function parseIpNetwork(text: string): IpNetwork | undefined {
  const slash = text.indexOf('/');
  if (slash < 0) {
    const address = parseIpAddress(text);
    return address ? { address, prefixLength: address.kind() === 'ipv4' ? 32 : 128 } : undefined;
  }
  const address = parseIpAddress(text.slice(0, slash));
  const lengthText = text.slice(slash + 1).trim();
  if (!address || !/^\d{1,3}$/.test(lengthText)) return undefined;
  const prefixLength = Number(lengthText);
  if (prefixLength > (address.kind() === 'ipv4' ? 32 : 128)) return undefined;
  return { address, prefixLength };
}

/** Whether `address` lies in `network` (families never match each other). */
export function networkContains(network: IpNetwork, address: Address): boolean {
  if (network.address.kind() !== address.kind()) return false;
  return address.match(network.address, network.prefixLength);
}

/** Whether an address is not on the public internet: private, loopback, link-local, unique-local, unspecified. */
export function isNonPublicAddress(address: Address): boolean {
  const range = address.range();
  return [
    'private',
    'loopback',
    'linkLocal',
    'uniqueLocal',
    'unspecified',
    'carrierGradeNat',
    'reserved',
    'broadcast',
  ].includes(range);
}
