// The names the emulator's server certificate must carry (subjectAltName, RFC 5280 §4.2.1.6): loopback in every
// spelling a PBX may use, the configured listen host, and the trunk domains a PBX dials (RFC 5922 §7.2: a SIP
// client checks the Request-URI's domain against the certificate). `*.<suffix>` covers `<trunk_id>.<suffix>`;
// a wildcard matches one label only (RFC 6125 §6.4.3), so region-qualified domains are listed one by one.

import { isIP } from 'node:net';
import ipaddr from 'ipaddr.js';

export interface CertificateNames {
  /** Lower case, sorted, unique. */
  readonly dnsNames: readonly string[];
  /** Normalised (`::1`, not `0:0:0:0:0:0:0:1`), sorted, unique. */
  readonly ipAddresses: readonly string[];
}

export interface CertificateNameInputs {
  /** The configured listen host (an address or a name); unspecified addresses (0.0.0.0, ::) add nothing. */
  readonly listenHost: string;
  readonly trunkDomainSuffix: string;
  /** Trunk domains of the account; those the wildcard does not cover are added. */
  readonly trunkDomains?: readonly string[];
  /** More names from the config. */
  readonly extraNames?: readonly string[];
}

/** Normalises an IP address for comparison, or undefined when `text` is not one. */
export function normaliseIp(text: string): string | undefined {
  const bare = text.replace(/^\[|\]$/g, '');
  if (isIP(bare) === 0) return undefined;
  const parsed = ipaddr.parse(bare);
  const unwrapped =
    parsed.kind() === 'ipv6' && (parsed as ipaddr.IPv6).isIPv4MappedAddress()
      ? (parsed as ipaddr.IPv6).toIPv4Address()
      : parsed;
  return unwrapped.toString();
}

export function certificateNames(inputs: CertificateNameInputs): CertificateNames {
  const suffix = inputs.trunkDomainSuffix.toLowerCase();
  const dns = new Set<string>(['localhost', suffix, `*.${suffix}`]);
  const ips = new Set<string>(['127.0.0.1', '::1']);
  const add = (name: string) => {
    const ip = normaliseIp(name);
    if (ip !== undefined) {
      if (ip !== '0.0.0.0' && ip !== '::') ips.add(ip);
      return;
    }
    const lower = name.toLowerCase().replace(/\.$/, '');
    if (lower !== '') dns.add(lower);
  };
  add(inputs.listenHost);
  for (const domain of inputs.trunkDomains ?? []) {
    const lower = domain.toLowerCase();
    const coveredByWildcard =
      lower.endsWith(`.${suffix}`) && !lower.slice(0, -suffix.length - 1).includes('.');
    if (!coveredByWildcard) add(lower);
  }
  for (const name of inputs.extraNames ?? []) add(name);
  return { dnsNames: [...dns].sort(), ipAddresses: [...ips].sort() };
}

export function sameNames(a: CertificateNames, b: CertificateNames): boolean {
  const key = (n: CertificateNames) => `${n.dnsNames.join(',')}|${n.ipAddresses.join(',')}`;
  return key(a) === key(b);
}
