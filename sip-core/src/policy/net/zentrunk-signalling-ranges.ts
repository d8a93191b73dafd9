// Zentrunk's signalling and media source networks by data centre (BEHAVIOUR.md §2.2, grade D, the quickstart
// page's 14 CIDRs). The technical-specifications page lists only eight (§17); the other six are real, so a check
// that knew only eight would fail a healthy trunk in São Paulo, Singapore or Mumbai. Regions carry the AWS names
// Zentrunk itself uses (`X-Plivo-Region: us-east-1`, `<id>.ap-south-1.zt.plivo.com`, §2.4).

import { networkContains, parseIpAddress, parseIpNetwork, type IpNetwork } from './ip-address.js';

export interface ZentrunkRegion {
  /** The AWS region name Zentrunk uses, e.g. `us-east-1`. */
  readonly id: string;
  /** The data centre as Plivo names it. */
  readonly name: string;
  readonly cidrs: readonly string[];
}

export const ZENTRUNK_REGIONS: readonly ZentrunkRegion[] = Object.freeze([
  { id: 'us-west-1', name: 'North California, USA', cidrs: ['13.52.9.0/25', '216.120.187.128/26'] },
  {
    id: 'us-east-1',
    name: 'Virginia, USA',
    cidrs: ['18.214.109.128/25', '18.215.142.0/26', '204.89.148.128/26'],
  },
  { id: 'eu-central-1', name: 'Frankfurt, DE', cidrs: ['3.120.121.128/26'] },
  { id: 'sa-east-1', name: 'São Paulo, BR', cidrs: ['18.228.70.64/26', '54.233.191.0/27'] },
  { id: 'ap-southeast-2', name: 'Sydney, AU', cidrs: ['13.238.202.192/26'] },
  { id: 'ap-southeast-1', name: 'Singapore', cidrs: ['18.136.1.128/26', '204.89.149.128/27'] },
  {
    id: 'ap-south-1',
    name: 'India (Mumbai)',
    cidrs: ['15.207.90.192/31', '204.89.151.128/27', '204.89.151.160/27'],
  },
]);

const NETWORKS: ReadonlyArray<{ readonly region: ZentrunkRegion; readonly network: IpNetwork }> =
  ZENTRUNK_REGIONS.flatMap((region) =>
    region.cidrs.map((cidr) => ({ region, network: parseIpNetwork(cidr)! })),
  );

/** The region by its AWS name (`us-east-1`), case-insensitive; undefined when Zentrunk has no such region. */
export function zentrunkRegion(id: string): ZentrunkRegion | undefined {
  const wanted = id.trim().toLowerCase();
  return ZENTRUNK_REGIONS.find((region) => region.id === wanted);
}

/**
 * The Zentrunk region whose §2.2 networks contain `address` (IPv4 or IPv6 text, IPv4-mapped IPv6 unwrapped), or
 * undefined when the address is outside all of them or is not an address.
 */
export function zentrunkRegionOfAddress(address: string): ZentrunkRegion | undefined {
  const parsed = parseIpAddress(address);
  if (parsed === undefined) return undefined;
  return NETWORKS.find((entry) => networkContains(entry.network, parsed))?.region;
}

/** The region named by a region-qualified trunk domain (`<id>.ap-south-1.zt.plivo.com`, §2.4), if any. */
export function zentrunkRegionOfDomain(domain: string): ZentrunkRegion | undefined {
  const labels = domain.toLowerCase().split('.');
  return ZENTRUNK_REGIONS.find((region) => labels.includes(region.id));
}
