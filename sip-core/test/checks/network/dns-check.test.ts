import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  CheckRunner,
  createDnsResolver,
  createNetworkCheckServices,
  dnsCheck,
  type CheckResult,
  type DnsResolver,
} from '../../../src/checks/index.js';
import { ManualClock } from '../../../src/common/manual-clock.js';
import { testTarget } from '../../support/check-fixtures.js';
import { startDnsResponder, type DnsResponder } from '../../support/dns-responder.js';

const DOMAIN = '21784177241578.zt.plivo.com';

/** A fake resolver (a test double for DNS) from a table; names absent from it do not exist. */
function fakeResolver(
  table: Record<string, { A?: string[]; AAAA?: string[]; srv?: boolean; fail?: string }>,
): DnsResolver {
  const lookup =
    <T>(pick: (e: (typeof table)[string]) => T[] | undefined) =>
    (name: string): Promise<T[]> => {
      const entry = table[name];
      if (entry?.fail) return Promise.reject(Object.assign(new Error(entry.fail), { code: entry.fail }));
      const records = entry ? pick(entry) : undefined;
      if (!records || records.length === 0)
        return Promise.reject(Object.assign(new Error('no data'), { code: entry ? 'ENODATA' : 'ENOTFOUND' }));
      return Promise.resolve(records);
    };
  return {
    resolve4: lookup((e) => e.A),
    resolve6: lookup((e) => e.AAAA),
    resolveSrv: () => Promise.reject(Object.assign(new Error('none'), { code: 'ENOTFOUND' })),
    resolveNaptr: () => Promise.reject(Object.assign(new Error('none'), { code: 'ENODATA' })),
  };
}

async function runDns(resolver: DnsResolver, target = testTarget()): Promise<CheckResult> {
  const clock = new ManualClock();
  const runner = new CheckRunner({
    clock,
    checks: [dnsCheck],
    services: createNetworkCheckServices({ clock, resolver }),
  });
  return (await runner.run(target)).results[0];
}

describe('dns check with a fake resolver', () => {
  it.each([
    ['one address in us-west-1', { [DOMAIN]: { A: ['13.52.9.10'] } }, {}, 'pass', /1 address in us-west-1/],
    [
      'two addresses, all in the expected region',
      { [DOMAIN]: { A: ['18.214.109.130', '204.89.148.130'] } },
      { region: 'us-east-1' },
      'pass',
      /2 addresses in us-east-1/,
    ],
    [
      'an address outside every range',
      { [DOMAIN]: { A: ['13.52.9.10', '93.184.216.34'] } },
      {},
      'fail',
      /93\.184\.216\.34, outside Zentrunk's signalling networks/,
    ],
    ['a loopback answer (hosts-file entry)', { [DOMAIN]: { A: ['127.0.0.1'] } }, {}, 'fail', /outside/],
    [
      'addresses in another region than expected',
      { [DOMAIN]: { A: ['3.120.121.130'] } },
      { region: 'ap-south-1' },
      'warning',
      /eu-central-1, not only ap-south-1/,
    ],
    ['no records', { [DOMAIN]: {} }, {}, 'fail', /no A or AAAA record/],
    ['a name that does not exist', {}, {}, 'fail', /no A or AAAA record/],
    [
      'a resolver that cannot answer',
      { [DOMAIN]: { fail: 'ETIMEOUT' } },
      {},
      'fail',
      /DNS lookup .* failed \(ETIMEOUT\)/,
    ],
  ] as const)('%s', async (_name, table, target, status, summary) => {
    const result = await runDns(fakeResolver(table as never), testTarget(target));
    expect(result.status).toBe(status);
    expect(result.summary).toMatch(summary);
    if (status !== 'pass') {
      expect(result.cause?.summary.length).toBeGreaterThan(10);
      expect(result.remedy?.length).toBeGreaterThan(10);
    }
  });

  it('expects the region named in a region-qualified domain', async () => {
    const domain = '93667062664669661.ap-south-1.zt.plivo.com';
    const result = await runDns(
      fakeResolver({ [domain]: { A: ['13.52.9.10'] } }),
      testTarget({ terminationDomain: domain }),
    );
    expect(result.status).toBe('warning');
    expect(result.measurements).toContainEqual({ name: 'expectedRegion', value: 'ap-south-1' });
  });

  it('does not apply to the emulator', async () => {
    const result = await runDns(fakeResolver({}), testTarget({ isEmulator: true }));
    expect(result).toMatchObject({ status: 'skipped', skipReason: { kind: 'not-applicable' } });
  });
});

describe('dns check with a real dns.Resolver against a responder on 127.0.0.1', () => {
  let responder: DnsResponder;
  beforeAll(async () => {
    responder = await startDnsResponder({
      [DOMAIN]: {
        A: ['204.89.151.130'],
        NAPTR: [
          {
            order: 10,
            preference: 10,
            flags: 's',
            services: 'SIPS+D2T',
            regexp: '',
            replacement: `_sips._tcp.${DOMAIN}`,
          },
        ],
      },
      [`_sips._tcp.${DOMAIN}`]: { SRV: [{ priority: 10, weight: 5, port: 5061, target: `edge.${DOMAIN}` }] },
      [`edge.${DOMAIN}`]: { A: ['204.89.151.170'] },
      'outside.zt.example': { A: ['198.51.100.7'] },
      'broken.zt.example': { servfail: true },
    });
  });
  afterAll(() => responder.close());

  it('follows NAPTR and SRV to more addresses, all inside ap-south-1', async () => {
    const result = await runDns(createDnsResolver([responder.server]), testTarget({ region: 'ap-south-1' }));
    expect(result.status).toBe('pass');
    expect(result.measurements).toContainEqual({
      name: 'addresses',
      value: '204.89.151.130, 204.89.151.170',
    });
    expect(result.measurements).toContainEqual({ name: 'srvRecords', value: 1 });
    expect(result.measurements).toContainEqual({ name: 'naptrRecords', value: 1 });
    expect(result.evidence.lines.join('\n')).toContain(`SRV _sips._tcp.${DOMAIN}: 10 5 5061 edge.${DOMAIN}`);
    expect(responder.queries).toContain(`A ${DOMAIN}`);
  });

  it('fails a domain resolving outside the ranges, and one whose server fails', async () => {
    const resolver = createDnsResolver([responder.server]);
    const outside = await runDns(resolver, testTarget({ terminationDomain: 'outside.zt.example' }));
    expect(outside.status).toBe('fail');
    expect(outside.summary).toContain('198.51.100.7');
    const broken = await runDns(resolver, testTarget({ terminationDomain: 'broken.zt.example' }));
    expect(broken).toMatchObject({ status: 'fail', cause: { errorCode: 'ESERVFAIL' } });
  });
});
