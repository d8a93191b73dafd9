// `dns`: the termination domain resolves, and every address it resolves to is inside Zentrunk's signalling
// networks (BEHAVIOUR.md §2.2), in the expected region when one is known. An address outside them means the
// name is not a Zentrunk trunk domain, or something between the user and Plivo answers for it (split-horizon
// DNS, a hosts-file entry, a hijacking resolver): every call would go to the wrong place.
//
// SRV and NAPTR: Plivo documents neither (BEHAVIOUR.md says nothing; every guide configures the domain with an
// explicit port 5060/5061), so their absence is normal and only noted. When they exist, the targets they name
// are resolved and held to the same ranges, since an RFC 3263 client would follow them.

import { zentrunkRegion, zentrunkRegionOfAddress, zentrunkRegionOfDomain } from '../../policy/index.js';
import type {
  CheckContext,
  CheckDefinition,
  CheckOutcome,
  MeasuredValue,
} from '../runner/check-definition.js';
import { isNoRecordsError, type DnsResolver, type NaptrRecord, type SrvRecord } from './dns-resolver.js';
import type { NetworkCheckServices } from './network-check-services.js';

const SRV_PREFIXES = ['_sip._udp', '_sip._tcp', '_sips._tcp'] as const;

interface ResolvedAddress {
  readonly address: string;
  /** The name it came from (the domain, or an SRV target). */
  readonly name: string;
  readonly region: string | undefined;
}

export const dnsCheck: CheckDefinition<NetworkCheckServices> = {
  id: 'dns',
  title: 'DNS',
  description:
    "The termination SIP domain resolves, and every address is inside Zentrunk's signalling networks (§2.2) for the expected region.",
  dependsOn: [],
  safety: 'safe',
  timeoutMs: 20_000,
  run: runDnsCheck,
};

async function runDnsCheck(context: CheckContext<NetworkCheckServices>): Promise<CheckOutcome> {
  const { target, services } = context;
  const domain = target.terminationDomain;
  if (target.isEmulator) {
    return {
      status: 'skipped',
      summary: 'The emulator is reached by its own address; no Zentrunk DNS to check.',
    };
  }
  const resolver = services.resolver;
  const started = context.clock.now();
  let addresses: ResolvedAddress[];
  try {
    addresses = await addressesOf(resolver, domain);
  } catch (error) {
    return resolverFailure(domain, error);
  }
  context.progress(0.4, 'A/AAAA');
  const srv = await srvRecords(resolver, domain, context);
  const naptr = await lookupOrEmpty(() => resolver.resolveNaptr(domain));
  context.progress(0.7, 'SRV/NAPTR');
  for (const record of naptr) context.note(`NAPTR ${domain}: ${formatNaptr(record)}`);
  if (naptr.length === 0) context.note(`NAPTR ${domain}: none published (Zentrunk documents none; normal).`);
  for (const { name, records } of srv) {
    for (const record of records) {
      context.note(`SRV ${name}: ${record.priority} ${record.weight} ${record.port} ${record.name}`);
      try {
        const more = await addressesOf(resolver, record.name);
        addresses.push(...more.filter((a) => !addresses.some((b) => b.address === a.address)));
      } catch (error) {
        context.note(`SRV target ${record.name} does not resolve: ${codeOf(error) ?? 'error'}.`);
      }
    }
  }
  if (srv.length === 0) context.note(`SRV ${SRV_PREFIXES.join(', ')}: none published (normal for Zentrunk).`);
  const resolveMs = context.clock.now() - started;
  for (const a of addresses) {
    context.note(`${a.name} → ${a.address} (${a.region ?? 'outside Zentrunk networks'})`);
  }

  const expectedRegion = target.region ?? zentrunkRegionOfDomain(domain)?.id;
  const measurements: MeasuredValue[] = [
    { name: 'addresses', value: addresses.map((a) => a.address).join(', ') },
    { name: 'addressCount', value: addresses.length },
    { name: 'resolveMs', value: Math.round(resolveMs), unit: 'ms' },
    { name: 'srvRecords', value: srv.reduce((n, s) => n + s.records.length, 0) },
    { name: 'naptrRecords', value: naptr.length },
  ];
  if (expectedRegion !== undefined) measurements.push({ name: 'expectedRegion', value: expectedRegion });

  if (addresses.length === 0) {
    return {
      status: 'fail',
      summary: `${domain} has no A or AAAA record.`,
      measurements,
      cause: {
        summary: `The termination SIP domain ${domain} does not resolve to any address.`,
        errorCode: 'ENODATA',
      },
      remedy:
        "Copy the Termination SIP Domain from the outbound trunk's page in the Plivo console (<trunk_id>.zt.plivo.com) and check this machine's DNS resolver.",
    };
  }
  const outside = addresses.filter((a) => a.region === undefined);
  if (outside.length > 0) {
    const list = outside.map((a) => a.address).join(', ');
    return {
      status: 'fail',
      summary: `${domain} resolves to ${list}, outside Zentrunk's signalling networks.`,
      measurements,
      cause: {
        summary: `${outside.length} of ${addresses.length} addresses of ${domain} (${list}) are not in any of Zentrunk's 14 signalling networks (BEHAVIOUR.md §2.2)${regionHint(expectedRegion)}: calls would go somewhere that is not Zentrunk.`,
      },
      remedy:
        'Use the Termination SIP Domain exactly as Plivo shows it; look for a hosts-file entry, split-horizon DNS or a resolver that rewrites answers on this network.',
    };
  }
  const regions = [...new Set(addresses.map((a) => a.region!))];
  measurements.push({ name: 'regions', value: regions.join(', ') });
  if (expectedRegion !== undefined && regions.some((r) => r !== expectedRegion)) {
    const expectedName = zentrunkRegion(expectedRegion)?.name ?? expectedRegion;
    return {
      status: 'warning',
      summary: `${domain} resolves inside Zentrunk's networks, but in ${regions.join(', ')}, not only ${expectedRegion}.`,
      measurements,
      cause: {
        summary: `Expected ${expectedName} (${expectedRegion}); Zentrunk may route through another region during incidents (§2.2).`,
      },
      remedy:
        "Allow all 14 of Zentrunk's networks in your firewall (not only your region's), and check the --region you expect.",
    };
  }
  return {
    status: 'pass',
    summary: `${domain} resolves to ${addresses.length} address${addresses.length === 1 ? '' : 'es'} in ${regions.join(', ')}.`,
    measurements,
  };
}

async function addressesOf(resolver: DnsResolver, name: string): Promise<ResolvedAddress[]> {
  const [v4, v6] = await Promise.all([
    lookupOrEmpty(() => resolver.resolve4(name)),
    lookupOrEmpty(() => resolver.resolve6(name)),
  ]);
  return [...v4, ...v6].map((address) => ({
    address,
    name,
    region: zentrunkRegionOfAddress(address)?.id,
  }));
}

async function srvRecords(
  resolver: DnsResolver,
  domain: string,
  context: CheckContext<NetworkCheckServices>,
): Promise<Array<{ name: string; records: SrvRecord[] }>> {
  const out: Array<{ name: string; records: SrvRecord[] }> = [];
  for (const prefix of SRV_PREFIXES) {
    const name = `${prefix}.${domain}`;
    try {
      const records = await lookupOrEmpty(() => resolver.resolveSrv(name));
      if (records.length > 0) out.push({ name, records });
    } catch (error) {
      context.note(`SRV ${name}: the resolver failed (${codeOf(error) ?? 'error'}).`);
    }
  }
  return out;
}

/** Runs a lookup; "no such record" is an empty answer, anything else (no server, SERVFAIL) is thrown. */
async function lookupOrEmpty<T>(lookup: () => Promise<T[]>): Promise<T[]> {
  try {
    return await lookup();
  } catch (error) {
    if (isNoRecordsError(error)) return [];
    throw error;
  }
}

function resolverFailure(domain: string, error: unknown): CheckOutcome {
  const code = codeOf(error) ?? 'error';
  return {
    status: 'fail',
    summary: `The DNS lookup of ${domain} failed (${code}).`,
    cause: { summary: `No DNS answer for ${domain}: the resolver reported ${code}.`, errorCode: code },
    remedy:
      'Check that this machine can reach a DNS server (/etc/resolv.conf, or --dns-server), then run the check again.',
  };
}

function formatNaptr(record: NaptrRecord): string {
  return `${record.order} ${record.preference} "${record.flags}" "${record.service}" "${record.regexp}" ${record.replacement}`;
}

function codeOf(error: unknown): string | undefined {
  const code = (error as { code?: unknown } | undefined)?.code;
  return typeof code === 'string' ? code : undefined;
}

/** The networks an address of the expected region would be in, for a cause that names where it should be. */
function regionHint(expectedRegion: string | undefined): string {
  const region = expectedRegion === undefined ? undefined : zentrunkRegion(expectedRegion);
  return region === undefined ? '' : `; in ${region.name} (${region.id}) they are ${region.cidrs.join(', ')}`;
}
