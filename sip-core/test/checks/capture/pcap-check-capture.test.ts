import { afterEach, describe, expect, it } from 'vitest';
import {
  barredCountryProbe,
  CheckRunner,
  createCheckTarget,
  createNetworkCheckServices,
  emulatorAccountFacts,
  PcapCheckCapture,
  unsupportedMethodsProbe,
  type CheckDefinition,
  type ProbeCheckServices,
} from '../../../src/checks/index.js';
import { systemClock } from '../../../src/common/clock.js';
import { MemoryPcapSink, readCaptureBytes, type CapturedPacket } from '../../../src/diagnostics/index.js';
import { DEMO_CREDENTIALS, SecretString } from '../../../src/policy/index.js';
import { SipTrace } from '../../../src/sip/trace/index.js';
import { startEmulator, type EmulatorHarness } from '../../support/emulator-harness.js';
import { CREDENTIAL_TRUNK_HOST, OWNED_CALLER_ID } from '../../support/policy-fixtures.js';

// The run capture: each probe stack's SIP into one pcapng, read back with our own reader; a comment marks the
// first packet of each check; a check that sends nothing leaves no mark.

let harness: EmulatorHarness | undefined;
afterEach(async () => {
  await harness?.close();
  harness = undefined;
});

const startLine = (packet: CapturedPacket): string => {
  // LINKTYPE_RAW IPv4 (20 bytes) + UDP (8 bytes), then the SIP message.
  return Buffer.from(packet.data.subarray(28)).toString('latin1').split('\r\n')[0];
};

const silent: CheckDefinition<ProbeCheckServices> = {
  id: 'silent',
  title: 'A check that sends nothing',
  description: 'Passes without SIP.',
  dependsOn: [],
  safety: 'safe',
  timeoutMs: 1_000,
  run: () => Promise.resolve({ status: 'pass', summary: 'nothing sent' }),
};

describe('PcapCheckCapture', () => {
  it('writes every check’s SIP into one pcapng with a comment where each check starts', async () => {
    harness = await startEmulator();
    const sink = new MemoryPcapSink();
    const capture = PcapCheckCapture.open({ pcap: sink, application: 'Trunkline test' });
    const services: ProbeCheckServices = {
      ...createNetworkCheckServices({ clock: systemClock, localAddress: '127.0.0.1', capture }),
      emulatorAccount: emulatorAccountFacts(harness.emulator),
    };
    const checks = [
      silent,
      { ...barredCountryProbe, dependsOn: [] },
      { ...unsupportedMethodsProbe, dependsOn: [] },
    ];
    const runner = new CheckRunner({ checks, services });
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
    expect(run.results.map((r) => r.status)).toEqual(['pass', 'pass', 'pass']);
    await capture.close();

    const packets = readCaptureBytes(sink.bytes());
    expect(packets.length).toBe(capture.packets);
    const evidenceCount = run.results.flatMap((r) => r.evidence.sip.flatMap((e) => e.messages)).length;
    expect(packets).toHaveLength(evidenceCount);
    const marked = packets
      .map((p, index) => ({ index, comment: p.comment, line: startLine(p) }))
      .filter((p) => p.comment?.includes('Trunkline check'));
    expect(marked).toEqual([
      {
        index: 0,
        comment: 'Trunkline check probe-barred-country starts: Probe: barred country',
        line: expect.stringMatching(/^INVITE sip:\+53\d+@/) as unknown,
      },
      {
        index: expect.any(Number) as unknown,
        comment: 'Trunkline check probe-unsupported-methods starts: Probe: unsupported methods',
        line: expect.stringMatching(/^INFO /) as unknown,
      },
    ]);
    const lines = packets.map(startLine);
    expect(lines.filter((l) => l.startsWith('SIP/2.0 403 '))).not.toHaveLength(0);
    expect(lines.filter((l) => l.startsWith('SIP/2.0 405 '))).toHaveLength(3);
    // The barred-country probe answered the credential trunk's 407: its INVITE without and with credentials.
    expect(lines.filter((l) => l.startsWith('INVITE '))).toHaveLength(2);
  });

  it('without --keylog, TLS keys are not recorded; after close, new recordings are dropped', async () => {
    const sink = new MemoryPcapSink();
    const capture = PcapCheckCapture.open({ pcap: sink });
    let subscribed = false;
    const handle = capture.recordTlsKeys({
      on: () => {
        subscribed = true;
        return { dispose: () => undefined };
      },
    });
    handle.dispose();
    expect(subscribed).toBe(false);
    await capture.close();
    const trace = new SipTrace();
    capture.recordTrace(trace);
    trace.publish({
      kind: 'message',
      direction: 'sent',
      transport: 'udp',
      local: { address: '127.0.0.1', port: 5060 },
      remote: { address: '127.0.0.1', port: 5070 },
      bytes: Buffer.from('OPTIONS sip:x SIP/2.0\r\n\r\n'),
    } as never);
    expect(capture.packets).toBe(0);
    expect(capture.keyLogLines).toBe(0);
  });
});
