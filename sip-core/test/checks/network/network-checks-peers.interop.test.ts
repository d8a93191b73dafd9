import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import {
  authCheck,
  CheckRunner,
  createNetworkCheckServices,
  optionsCheck,
  tlsCheck,
  type CheckResult,
  type CheckTargetInput,
} from '../../../src/checks/index.js';
import { systemClock } from '../../../src/common/clock.js';
import {
  certificateNames,
  ensureLocalCertificates,
  type LocalCertificates,
} from '../../../src/emulator/index.js';
import { SecretString } from '../../../src/policy/index.js';
import { startBaresip, type StartedBaresip } from '../../support/baresip.js';
import { testTarget } from '../../support/check-fixtures.js';
import { freeUdpPort, waitForUdpBind } from '../../support/free-port.js';
import { requirePeer, shouldRunWith } from '../../support/peer-binary.js';
import { PeerProcesses } from '../../support/peer-process.js';

// The network checks against independent SIP stacks (TESTING.md): the auth check against SIPp's own digest
// verifier (a PBX that challenges with 401 and checks with verifyauth), and OPTIONS and TLS against baresip
// over UDP, TCP and TLS with a certificate from the emulator's CA (baresip refuses a user-less OPTIONS with 404,
// which exercises the refusal path on a real stack). Asserted on what the peers observed too.

const SIPP_SCENARIOS = path.join(path.dirname(fileURLToPath(import.meta.url)), '../../sip/auth/sipp');
const SIPP_ONE_CALL = ['-m', '1', '-nostdin', '-timeout', '30s', '-timeout_error'];
const SUFFIX = 'zt.trunkline.test';
const DOMAIN = `21784177241578.${SUFFIX}`;

const peers = new PeerProcesses();
const dirs: string[] = [];
function tempDir(): string {
  const dir = mkdtempSync(path.join(tmpdir(), 'checks-peers-'));
  dirs.push(dir);
  return dir;
}
afterAll(() => {
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
});

async function runAlone(check: typeof authCheck, target: Partial<CheckTargetInput>): Promise<CheckResult> {
  const services = createNetworkCheckServices({ clock: systemClock, localAddress: '127.0.0.1' });
  const runner = new CheckRunner({ checks: [{ ...check, dependsOn: [] }], services });
  return (await runner.run(testTarget({ terminationDomain: DOMAIN, ...target }))).results[0];
}

describe.skipIf(!shouldRunWith('sipp'))('auth check against SIPp verifying digests', () => {
  afterEach(() => peers.stopAll());

  async function againstSipp(
    password: string,
  ): Promise<{ result: CheckResult; sippExit: number | null; sippOutput: string }> {
    requirePeer('sipp');
    const port = await freeUdpPort();
    const sipp = peers.start(
      'sipp',
      [
        '-sf',
        path.join(SIPP_SCENARIOS, 'uas-digest.xml'),
        '-i',
        '127.0.0.1',
        '-p',
        String(port),
        ...SIPP_ONE_CALL,
      ],
      { cwd: tempDir() },
    );
    await waitForUdpBind(port);
    const result = await runAlone(authCheck, {
      transport: 'udp',
      outboundProxy: { host: '127.0.0.1', port },
      credentials: { username: 'pbx-user', password: new SecretString(password) },
      callerId: '+14155550100',
    });
    const sippExit = await sipp.exited;
    return { result, sippExit, sippOutput: sipp.output() };
  }

  it('answers the 401 with credentials SIPp accepts, then ACKs and BYEs the 200 so no call stays up', async () => {
    const { result, sippExit } = await againstSipp('pbx-pass');
    expect(result.status).toBe('pass');
    expect(result.measurements).toContainEqual({ name: 'realm', value: 'pbx.example.test' });
    expect(result.measurements).toContainEqual({ name: 'authenticatedStatus', value: 200 });
    // SIPp's scenario ends only after it received our ACK and BYE (and answered the BYE): exit 0.
    expect(sippExit).toBe(0);
  });

  it('fails with the 4180/4190 explanation when SIPp refuses the password', async () => {
    const { result } = await againstSipp('not-the-password');
    expect(result.status).toBe('fail');
    expect(result.cause?.summary).toMatch(/4180 call_rejected_unauthorized .* 4190 unknown_caller_id/);
  });
});

describe.skipIf(!shouldRunWith('baresip'))('options and tls checks against baresip', () => {
  let baresip: StartedBaresip;
  let certificates: LocalCertificates;
  beforeAll(async () => {
    requirePeer('baresip');
    const dir = tempDir();
    certificates = await ensureLocalCertificates({
      dataDir: path.join(dir, 'pki'),
      names: certificateNames({ listenHost: '127.0.0.1', trunkDomainSuffix: SUFFIX }),
    });
    baresip = await startBaresip(peers, path.join(dir, 'baresip'), {
      // baresip reads certificate and key from one file: the certificate PEM must end its line.
      cert: `${certificates.serverCertificatePem.trimEnd()}\n`,
      key: certificates.serverKey.reveal(),
      ca: certificates.caCertificatePem,
    });
  });
  afterAll(() => peers.stopAll());

  it.each(['udp', 'tcp'] as const)(
    'pings baresip over %s: a SIP server that is not the trunk answers, and the check names its refusal',
    async (transport) => {
      const result = await runAlone(optionsCheck, {
        transport,
        outboundProxy: { host: '127.0.0.1', port: baresip.sipPort },
      });
      // baresip has no account for a user-less Request-URI (sip:<trunk domain>): 404, with no hangup code.
      expect(result.measurements).toContainEqual({ name: 'status', value: 404 });
      expect(result.measurements.find((m) => m.name === 'rttMs')?.value).toBeGreaterThan(0);
      expect(result.measurements.find((m) => m.name === 'server')?.value).toMatch(/^baresip/);
      expect(result).toMatchObject({ status: 'fail', cause: { sipStatus: 404 } });
      expect(result.cause?.summary).toMatch(
        /OPTIONS was refused: 404 Not Found \(without X-ZT-Hangup-Code; it can mean 4070 trunk_not_found/,
      );
      expect(result.evidence.sip[0].messages).toHaveLength(2);
    },
  );

  it('verifies baresip’s TLS certificate for the trunk domain and pings over TLS', async () => {
    const target = {
      transport: 'tls' as const,
      outboundProxy: { host: '127.0.0.1', port: baresip.sipPort + 1 },
      caCertificates: [certificates.caCertificatePem],
    };
    const tls = await runAlone(tlsCheck, target);
    expect(tls.status).toBe('pass');
    expect(String(tls.measurements.find((m) => m.name === 'protocol')?.value)).toMatch(/^TLSv1\.[23]$/);
    const options = await runAlone(optionsCheck, target);
    expect(options.measurements).toContainEqual({ name: 'status', value: 404 });
    const untrusted = await runAlone(tlsCheck, { ...target, caCertificates: [] });
    expect(untrusted.status).toBe('fail');
    expect(untrusted.remedy).toMatch(/--ca/);
  });
});
