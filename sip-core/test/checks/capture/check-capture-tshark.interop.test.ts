import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import {
  CheckRunner,
  createCheckTarget,
  createNetworkCheckServices,
  emulatorAccountFacts,
  PcapCheckCapture,
  PROBE_CHECKS,
  type ProbeCheckServices,
} from '../../../src/checks/index.js';
import { systemClock } from '../../../src/common/clock.js';
import { DEMO_CREDENTIALS, SecretString } from '../../../src/policy/index.js';
import { startEmulator, type EmulatorHarness } from '../../support/emulator-harness.js';
import { requirePeer, shouldRunWith } from '../../support/peer-binary.js';
import { PeerProcesses } from '../../support/peer-process.js';
import { CREDENTIAL_TRUNK_HOST, OWNED_CALLER_ID } from '../../support/policy-fixtures.js';
import { useTempDir } from '../../support/temp-dir.js';
import { tsharkFields } from '../../support/tshark-capture.js';

// The run capture as Wireshark reads it: the negative probes against the in-process emulator, recorded with
// PcapCheckCapture (what `trunkline check --pcap` uses), dissected by the real tshark. The probes' 403 and 405
// responses must be SIP to tshark, with their Zentrunk hangup code and Allow header, and each probe's first
// packet must carry its "check … starts" comment.

const peers = new PeerProcesses();
const dir = useTempDir('trunkline-check-capture-');
let harness: EmulatorHarness | undefined;
afterEach(async () => {
  await harness?.close();
  harness = undefined;
  await peers.stopAll();
});

describe.skipIf(!shouldRunWith('tshark'))('check-run capture read by tshark', () => {
  it('dissects the probes’ 403 and 405 responses and the per-check comments', async () => {
    requirePeer('tshark');
    harness = await startEmulator();
    const file = join(dir(), 'probes.pcapng');
    const capture = PcapCheckCapture.open({ pcap: file, application: 'Trunkline interop test' });
    const services: ProbeCheckServices = {
      ...createNetworkCheckServices({ clock: systemClock, localAddress: '127.0.0.1', capture }),
      emulatorAccount: emulatorAccountFacts(harness.emulator),
    };
    const probes = PROBE_CHECKS.filter((c) =>
      ['probe-caller-id-not-owned', 'probe-barred-country', 'probe-unsupported-methods'].includes(c.id),
    ).map((c) => ({ ...c, dependsOn: [] }));
    const runner = new CheckRunner({ checks: probes, services });
    runner.on('checkStarted', (check) => capture.checkStarted(check.id, check.title));
    const run = await runner.run(
      createCheckTarget({
        terminationDomain: CREDENTIAL_TRUNK_HOST,
        transport: 'udp',
        outboundProxy: { host: '127.0.0.1', port: harness.udp.port },
        credentials: {
          username: DEMO_CREDENTIALS.credential.username,
          password: new SecretString(DEMO_CREDENTIALS.credential.password),
        },
        callerId: OWNED_CALLER_ID,
        isEmulator: true,
      }),
    );
    expect(run.verdict).toBe('passed');
    await capture.close();

    const responses = await tsharkFields(peers, file, {
      filter: 'sip.Status-Code >= 400',
      fields: ['sip.Status-Code', 'sip.CSeq.method', 'sip.Allow'],
    });
    const finals = responses.map(([status, method, allow]) => ({ status, method, allow }));
    expect(finals.filter((r) => r.status === '403' && r.method === 'INVITE').length).toBeGreaterThanOrEqual(
      2,
    );
    expect(finals.filter((r) => r.status === '405').map((r) => r.method)).toEqual([
      'INFO',
      'MESSAGE',
      'REGISTER',
    ]);
    for (const r of finals.filter((f) => f.status === '405')) {
      expect(r.allow).toContain('INVITE');
      expect(r.allow).toContain('REFER');
    }
    const codes = await tsharkFields(peers, file, {
      filter: 'sip.Status-Code == 403',
      fields: ['sip.msg_hdr'],
    });
    const hangupCodes = codes.map(([headers]) => /X-ZT-Hangup-Code: (\d{4})/.exec(headers)?.[1]);
    expect(hangupCodes).toEqual(expect.arrayContaining(['4190', '4560']));

    const marks = await tsharkFields(peers, file, {
      filter: 'frame.comment contains "Trunkline check"',
      fields: ['frame.comment', 'sip.Method'],
    });
    expect(marks.map(([comment, method]) => [/check (\S+) starts/.exec(comment)?.[1], method])).toEqual([
      ['probe-caller-id-not-owned', 'INVITE'],
      ['probe-barred-country', 'INVITE'],
      ['probe-unsupported-methods', 'INFO'],
    ]);
  });
});
