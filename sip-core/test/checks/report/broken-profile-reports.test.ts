import { XMLParser, XMLValidator } from 'fast-xml-parser';
import { afterEach, describe, expect, it } from 'vitest';
import {
  CheckRunner,
  createCheckReport,
  createCheckTarget,
  createNetworkCheckServices,
  NETWORK_CHECKS,
  emulatorAccountFacts,
  parseCheckReport,
  PROBE_CHECKS,
  renderJsonReport,
  renderJunitReport,
  type CheckReport,
  type CheckRunResult,
  type CheckTargetInput,
  type DnsResolver,
  type ProbeCheckServices,
} from '../../../src/checks/index.js';
import { systemClock } from '../../../src/common/clock.js';
import { certificateNames, ensureLocalCertificates } from '../../../src/emulator/index.js';
import { DEMO_CREDENTIALS, SecretString } from '../../../src/policy/index.js';
import { startEmulator, type EmulatorHarness } from '../../support/emulator-harness.js';
import { CREDENTIAL_TRUNK_HOST, OWNED_CALLER_ID } from '../../support/policy-fixtures.js';
import { useTempDir } from '../../support/temp-dir.js';
import { startTlsTestServer, type TlsTestServer } from '../../support/tls-test-server.js';

// The network checks and the probes: the call checks (the `calls` family between them) have their own tests in
// test/checks/calls/, and without a trunk profile they would only add skipped rows here.
const NETWORK_AND_PROBES = [...NETWORK_CHECKS, ...PROBE_CHECKS];

// Deliberately broken profiles, run through the whole default check list and read back as the user reads them:
// the JSON report (parsed by its own schema) and the JUnit XML (parsed by fast-xml-parser). Each must fail
// exactly the expected check, name the cause and the remedy, and skip what depends on it — nothing more.

const DOMAIN = '21784177241578.zt.plivo.com';
const dir = useTempDir('trunkline-broken-profile-');
let emulator: EmulatorHarness | undefined;
let tlsServer: TlsTestServer | undefined;
afterEach(async () => {
  await emulator?.close();
  await tlsServer?.close();
  emulator = undefined;
  tlsServer = undefined;
});

function resolverFor(addresses: Record<string, string[]>): DnsResolver {
  const none = () => Promise.reject(Object.assign(new Error('no data'), { code: 'ENODATA' }));
  return {
    resolve4: (host) => (addresses[host] ? Promise.resolve(addresses[host]) : none()),
    resolve6: () => none(),
    resolveSrv: () => none(),
    resolveNaptr: () => none(),
  };
}

interface JunitCase {
  name: string;
  failure?: { message: string; type: string; '#text': string };
  skipped?: { message: string };
}

/** The run as the user gets it: JSON through its schema, JUnit through an independent XML parser. */
function reportsOf(run: CheckRunResult): {
  json: CheckReport;
  junit: { suite: Record<string, string>; cases: JunitCase[] };
} {
  const json = parseCheckReport(renderJsonReport(createCheckReport(run, '0.1.0')));
  const xml = renderJunitReport(json);
  expect(XMLValidator.validate(xml)).toBe(true);
  const parsed = new XMLParser({
    ignoreAttributes: false,
    attributeNamePrefix: '',
    isArray: (name) => name === 'testcase',
  }).parse(xml) as { testsuites: { testsuite: Record<string, string> & { testcase: JunitCase[] } } };
  const { testcase, ...suite } = parsed.testsuites.testsuite;
  return { json, junit: { suite, cases: testcase } };
}

function statuses(report: CheckReport): Record<string, string> {
  return Object.fromEntries(report.run.results.map((r) => [r.id, r.status]));
}

const probesSkipped = Object.fromEntries(PROBE_CHECKS.map((c) => [c.id, 'skipped']));
const allChecks = NETWORK_AND_PROBES.length;

async function runProfile(services: ProbeCheckServices, input: CheckTargetInput) {
  const run = await new CheckRunner({ checks: NETWORK_AND_PROBES, services }).run(createCheckTarget(input));
  return reportsOf(run);
}

describe('broken profiles through the JSON and JUnit reports', () => {
  it('wrong password: auth fails naming the credentials; the probes that need auth are skipped; nothing else fails', async () => {
    emulator = await startEmulator();
    const services: ProbeCheckServices = {
      ...createNetworkCheckServices({ clock: systemClock, localAddress: '127.0.0.1' }),
      emulatorAccount: emulatorAccountFacts(emulator.emulator),
    };
    const { json, junit } = await runProfile(services, {
      terminationDomain: CREDENTIAL_TRUNK_HOST,
      transport: 'udp',
      outboundProxy: { host: '127.0.0.1', port: emulator.udp.port },
      credentials: {
        username: DEMO_CREDENTIALS.credential.username,
        password: new SecretString('Wrong#2026'),
      },
      callerId: OWNED_CALLER_ID,
      isEmulator: true,
    });
    expect(statuses(json)).toEqual({
      dns: 'skipped',
      tls: 'skipped',
      options: 'pass',
      auth: 'fail',
      ...probesSkipped,
    });
    expect(json.run.verdict).toBe('failed');
    expect(json.run.counts).toEqual({
      pass: 1,
      fail: 1,
      warning: 0,
      skipped: allChecks - 2,
      total: allChecks,
    });
    const auth = json.run.results.find((r) => r.id === 'auth')!;
    expect(auth.cause).toMatchObject({
      hangupCode: 4180,
      hangupCauseName: 'call_rejected_unauthorized',
      sipStatus: 403,
    });
    expect(auth.remedy).toMatch(/username and password|credential/i);
    for (const probe of PROBE_CHECKS) {
      expect(json.run.results.find((r) => r.id === probe.id)!.skipReason).toEqual({
        kind: 'dependency',
        dependencyId: 'auth',
        dependencyStatus: 'fail',
      });
    }
    expect(renderJsonReport(json)).not.toContain('Wrong#2026');

    expect(junit.suite).toMatchObject({
      tests: String(allChecks),
      failures: '1',
      skipped: String(allChecks - 2),
    });
    const failed = junit.cases.filter((c) => c.failure !== undefined);
    expect(failed.map((c) => c.name)).toEqual(['auth: Authentication']);
    expect(failed[0].failure!.type).toBe('hangup-4180');
    expect(failed[0].failure!.message).toMatch(/4180 call_rejected_unauthorized/);
    expect(failed[0].failure!['#text']).toMatch(/Remedy: .*(username and password|credential)/i);
  });

  it('a domain resolving outside Zentrunk’s networks: dns fails naming the address and the expected region', async () => {
    const services = createNetworkCheckServices({
      clock: systemClock,
      resolver: resolverFor({ [DOMAIN]: ['198.51.100.7'] }),
      localAddress: '127.0.0.1',
    });
    const { json, junit } = await runProfile(services, {
      terminationDomain: DOMAIN,
      transport: 'udp',
      region: 'us-east-1',
      isEmulator: false,
    });
    expect(statuses(json)).toEqual({
      dns: 'fail',
      tls: 'skipped',
      options: 'skipped',
      auth: 'skipped',
      ...probesSkipped,
    });
    const dns = json.run.results.find((r) => r.id === 'dns')!;
    expect(dns.summary).toContain('198.51.100.7');
    expect(dns.cause!.summary).toMatch(/198\.51\.100\.7.*Virginia, USA \(us-east-1\).*18\.214\.109\.128\/25/);
    expect(dns.remedy).toMatch(/Termination SIP Domain/);
    expect(json.run.results.find((r) => r.id === 'options')!.skipReason).toMatchObject({
      kind: 'dependency',
    });

    const failed = junit.cases.filter((c) => c.failure !== undefined);
    expect(failed.map((c) => c.name)).toEqual(['dns: DNS']);
    expect(failed[0].failure!.message).toContain('198.51.100.7');
    expect(failed[0].failure!['#text']).toMatch(/us-east-1/);
  });

  it('a TLS certificate for another host (the emulator’s CA, issued for its own names): tls fails naming the mismatch', async () => {
    const certificates = await ensureLocalCertificates({
      dataDir: dir(),
      names: certificateNames({ listenHost: '127.0.0.1', trunkDomainSuffix: 'zt.trunkline.test' }),
      clock: systemClock,
    });
    tlsServer = await startTlsTestServer({
      cert: certificates.serverCertificatePem,
      key: certificates.serverKey.reveal(),
    });
    const services = createNetworkCheckServices({
      clock: systemClock,
      resolver: resolverFor({ [DOMAIN]: ['18.214.109.130'] }),
      localAddress: '127.0.0.1',
      connectTimeoutMs: 5_000,
    });
    const { json, junit } = await runProfile(services, {
      terminationDomain: DOMAIN,
      transport: 'tls',
      outboundProxy: { host: '127.0.0.1', port: tlsServer.port },
      caCertificates: [certificates.caCertificatePem],
      isEmulator: false,
    });
    expect(statuses(json)).toEqual({
      dns: 'pass',
      tls: 'fail',
      options: 'skipped',
      auth: 'skipped',
      ...probesSkipped,
    });
    const tls = json.run.results.find((r) => r.id === 'tls')!;
    expect(tls.summary).toMatch(
      /another host: it names .*\*\.zt\.trunkline\.test.*not 21784177241578\.zt\.plivo\.com/,
    );
    expect(tls.cause?.errorCode).toBe('ERR_TLS_CERT_ALTNAME_INVALID');
    expect(tls.remedy).toMatch(/Termination SIP Domain/);

    const failed = junit.cases.filter((c) => c.failure !== undefined);
    expect(failed.map((c) => c.name)).toEqual(['tls: TLS']);
    expect(failed[0].failure!.type).toBe('ERR_TLS_CERT_ALTNAME_INVALID');
  });
});
