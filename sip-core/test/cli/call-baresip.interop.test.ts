// `trunkline call` from a shell (the bin launcher in a child process) against baresip 1.0.0 over TLS with SRTP
// mandatory: --play, --record, --dtmf, --expect and --json, checked on both sides — baresip's DTMF events, our
// recording of baresip's sine, the JSON result — and `--expect` turning a mismatch into exit status 1.

import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { CallResult } from '../../src/cli/call-result.js';
import { analyzeTone } from '../../src/media/tone/tone-analysis.js';
import { readWavFile } from '../../src/media/wav/wav-file.js';
import { baresipRtpPortBase, startBaresip } from '../support/baresip.js';
import { requirePeer, shouldRunWith } from '../support/peer-binary.js';
import { PeerProcesses } from '../support/peer-process.js';
import { testCa } from '../support/softphone-fixtures.js';
import { useTeardown } from '../support/teardown.js';

const peers = new PeerProcesses();
const teardown = useTeardown(peers);
const bin = new URL('../../bin/trunkline.mjs', import.meta.url).pathname;
const NUMBER = '+14155550177';
const BARESIP_HZ = 440;

describe.skipIf(!shouldRunWith('baresip'))('trunkline call against baresip (TLS, SRTP mandatory)', () => {
  it('calls, plays a tone, records baresip, sends DTMF and prints the JSON result', async () => {
    requirePeer('baresip');
    const dir = mkdtempSync(join(tmpdir(), 'trunkline-cli-baresip-'));
    teardown(() => rmSync(dir, { recursive: true, force: true }));
    const ca = testCa();
    const baresip = await startBaresip(peers, join(dir, 'baresip'), {
      ...ca.issue('127.0.0.1', ['IP:127.0.0.1']),
      ca: ca.cert,
      accountParams: ';answermode=auto;audio_codecs=pcmu;mediaenc=srtp-mand',
      accountUser: NUMBER,
      sineHz: BARESIP_HZ,
    });
    teardown(() => baresip.control.close());
    const caFile = join(dir, 'ca.pem');
    writeFileSync(caFile, ca.cert);
    const recording = join(dir, 'heard.wav');
    const rtp = baresipRtpPortBase(baresip.sipPort);
    const profileFile = join(dir, 'trunk.json');
    writeFileSync(
      profileFile,
      JSON.stringify({
        terminationDomain: `127.0.0.1:${baresip.sipPort + 1}`,
        transport: 'tls',
        callerIds: ['+14155550101'],
        rtpPortRange:
          rtp < 40_000 ? { minPort: 40_000, maxPort: 44_999 } : { minPort: 10_000, maxPort: 14_999 },
      }),
    );
    const args = [
      bin,
      'call',
      NUMBER,
      '--profile',
      profileFile,
      '--ca',
      caFile,
      '--no-system-cas',
      '--play',
      'tone:1000',
      '--record',
      recording,
      '--dtmf',
      '42#',
      '--dtmf-at',
      '1s',
      '--hangup-after',
      '3s',
      '--expect',
      'answered',
      '--json',
    ];
    // Through PeerProcesses: the child is stopped by its PID in teardown if the test fails before it exits.
    const first = await peers.run(process.execPath, args);
    expect(first.exitCode, first.output).toBe(0);
    const result = JSON.parse(first.output.split('\n').find((line) => line.startsWith('{'))!) as CallResult;
    expect(result).toMatchObject({
      outcome: 'answered',
      matched: true,
      codec: 'PCMU',
      srtp: 'AES_CM_128_HMAC_SHA1_80',
      endedBy: 'local',
    });
    expect(result.rtp?.received.packets).toBeGreaterThan(100);
    expect(
      baresip.control
        .eventsOf('CALL_DTMF_START')
        .map((e) => e.param)
        .join(''),
    ).toBe('42#');
    const { samples } = await readWavFile(recording);
    expect(analyzeTone(samples.subarray(2_000, 10_000), BARESIP_HZ).present, 'we recorded baresip').toBe(
      true,
    );

    // The same call expected busy: it is answered, so the command exits 1 and says so.
    const failure = await peers.run(process.execPath, [
      ...args.slice(0, 3),
      '--profile',
      profileFile,
      '--ca',
      caFile,
      '--no-system-cas',
      '--hangup-after',
      '1s',
      '--expect',
      '486',
    ]);
    expect(failure.exitCode).toBe(1);
    expect(failure.output).toMatch(/NOT as expected \(486\)/);
  });
});
