import { createServer } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  CheckRunner,
  createNetworkCheckServices,
  EXPIRY_WARNING_DAYS,
  tlsCheck,
  type CheckResult,
  type CheckTargetInput,
} from '../../../src/checks/index.js';
import { systemClock } from '../../../src/common/clock.js';
import { ManualClock } from '../../../src/common/manual-clock.js';
import {
  certificateNames,
  ensureLocalCertificates,
  type LocalCertificates,
} from '../../../src/emulator/index.js';
import { testTarget } from '../../support/check-fixtures.js';
import { useTempDir } from '../../support/temp-dir.js';
import { createTestPki, type TestPki } from '../../support/test-pki.js';
import { startTlsTestServer, type TlsTestServer } from '../../support/tls-test-server.js';

// The TLS check against real TLS servers on 127.0.0.1, with certificates from the emulator's local CA
// (emulator/tls): valid, for another host, expired, expiring soon, self-signed, and a TLS 1.1-only server.

const SUFFIX = 'zt.trunkline.test';
const DOMAIN = `21784177241578.${SUFFIX}`;
const DAY_MS = 86_400_000;
const dir = useTempDir('trunkline-tls-check-');

async function certificates(name: string, issuedDaysAgo: number): Promise<LocalCertificates> {
  const clock = new ManualClock({ epochMs: Date.now() - issuedDaysAgo * DAY_MS });
  return ensureLocalCertificates({
    dataDir: `${dir()}/${name}`,
    names: certificateNames({ listenHost: '127.0.0.1', trunkDomainSuffix: SUFFIX }),
    clock,
  });
}

async function runTls(port: number, target: Partial<CheckTargetInput>): Promise<CheckResult> {
  const services = createNetworkCheckServices({
    clock: systemClock,
    resolver: undefined,
    connectTimeoutMs: 5_000,
  });
  const runner = new CheckRunner({ checks: [{ ...tlsCheck, dependsOn: [] }], services });
  const result = await runner.run(
    testTarget({
      transport: 'tls',
      terminationDomain: DOMAIN,
      outboundProxy: { host: '127.0.0.1', port },
      ...target,
    }),
  );
  return result.results[0];
}

function measured(result: CheckResult, name: string): unknown {
  return result.measurements.find((m) => m.name === name)?.value;
}

describe('tls check', () => {
  const servers: TlsTestServer[] = [];
  let valid: LocalCertificates;
  let expired: LocalCertificates;
  let expiring: LocalCertificates;
  let pki: TestPki;
  const serve = async (options: Parameters<typeof startTlsTestServer>[0]) => {
    const server = await startTlsTestServer(options);
    servers.push(server);
    return server;
  };

  beforeAll(async () => {
    valid = await certificates('valid', 1);
    expired = await certificates('expired', 500);
    expiring = await certificates('expiring', 397 - 10);
    pki = createTestPki();
  });
  afterAll(async () => {
    await Promise.all(servers.map((s) => s.close()));
    pki.dispose();
  });

  const keyOf = (c: LocalCertificates) => c.serverKey.reveal();

  it('passes a valid certificate for the trunk domain, with protocol, cipher and days to expiry', async () => {
    const server = await serve({ cert: valid.serverCertificatePem, key: keyOf(valid) });
    const result = await runTls(server.port, { caCertificates: [valid.caCertificatePem] });
    expect(result.status).toBe('pass');
    expect(measured(result, 'protocol')).toBe('TLSv1.3');
    expect(String(measured(result, 'cipher'))).toMatch(/^TLS_/);
    expect(measured(result, 'daysToExpiry')).toBeGreaterThan(390);
    expect(result.evidence.lines.join('\n')).toContain(`*.${SUFFIX}`);
  });

  it('fails a certificate for another host, naming both', async () => {
    const server = await serve({ cert: valid.serverCertificatePem, key: keyOf(valid) });
    const result = await runTls(server.port, {
      terminationDomain: 'trunk.other.example',
      caCertificates: [valid.caCertificatePem],
    });
    expect(result.status).toBe('fail');
    expect(result.summary).toMatch(
      /certificate is for another host: it names .*\*\.zt\.trunkline\.test.*not trunk\.other\.example/,
    );
    expect(result.cause?.errorCode).toBe('ERR_TLS_CERT_ALTNAME_INVALID');
    expect(result.remedy).toMatch(/Termination SIP Domain/);
  });

  it('fails an expired certificate', async () => {
    const server = await serve({ cert: expired.serverCertificatePem, key: keyOf(expired) });
    const result = await runTls(server.port, { caCertificates: [expired.caCertificatePem] });
    expect(result).toMatchObject({ status: 'fail', cause: { errorCode: 'CERT_HAS_EXPIRED' } });
    expect(result.summary).toMatch(/expired on/);
    expect(measured(result, 'daysToExpiry')).toBeLessThan(0);
  });

  it(`warns about a certificate that expires in less than ${EXPIRY_WARNING_DAYS} days`, async () => {
    const server = await serve({ cert: expiring.serverCertificatePem, key: keyOf(expiring) });
    const result = await runTls(server.port, { caCertificates: [expiring.caCertificatePem] });
    expect(result.status).toBe('warning');
    expect(measured(result, 'daysToExpiry')).toBeLessThan(EXPIRY_WARNING_DAYS);
    expect(result.remedy).toMatch(/renewed/);
  });

  it('fails a CA this machine does not trust (no --ca) and a self-signed certificate', async () => {
    const unknownCa = await serve({ cert: valid.serverCertificatePem, key: keyOf(valid) });
    const untrusted = await runTls(unknownCa.port, {});
    expect(untrusted).toMatchObject({
      status: 'fail',
      cause: { errorCode: 'UNABLE_TO_VERIFY_LEAF_SIGNATURE' },
    });
    expect(untrusted.remedy).toMatch(/--ca/);
    const selfSigned = pki.createCa(DOMAIN);
    const server = await serve({ cert: selfSigned.cert, key: selfSigned.key });
    const result = await runTls(server.port, {});
    expect(result).toMatchObject({ status: 'fail', cause: { errorCode: 'DEPTH_ZERO_SELF_SIGNED_CERT' } });
    expect(result.summary).toMatch(/self-signed/);
  });

  it('fails a server that offers only TLS 1.1', async () => {
    const server = await serve({
      cert: valid.serverCertificatePem,
      key: keyOf(valid),
      minVersion: 'TLSv1.1',
      maxVersion: 'TLSv1.1',
      ciphers: 'DEFAULT@SECLEVEL=0',
    });
    const result = await runTls(server.port, { caCertificates: [valid.caCertificatePem] });
    expect(result.status).toBe('fail');
    expect(result.summary).toMatch(/does not offer TLS 1\.2 or 1\.3/);
  });

  it('fails when nothing listens, and does not apply to a UDP target', async () => {
    const closed = createServer();
    await new Promise<void>((resolve) => closed.listen(0, '127.0.0.1', resolve));
    const port = (closed.address() as { port: number }).port;
    await new Promise((resolve) => closed.close(resolve));
    const refused = await runTls(port, {});
    expect(refused).toMatchObject({ status: 'fail', cause: { errorCode: 'ECONNREFUSED' } });
    const udp = await runTls(port, { transport: 'udp' });
    expect(udp).toMatchObject({ status: 'skipped', skipReason: { kind: 'not-applicable' } });
  });
});
