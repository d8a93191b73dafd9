// SIPp 3.6.1 as a PBX against the running emulator, over real UDP on 127.0.0.1: SIPp's own built-in `uac`
// scenario (exported with `sipp -sd uac`) places one call to the echo number through the IP-ACL demo trunk. The
// only change to it is the caller: SIPp's `sipp` user is no phone number, and Zentrunk refuses non-numeric caller
// IDs (4130); it becomes the demo account's own number. The verdict is SIPp's exit status (the call completed:
// 200, ACK, BYE, 200) and the CDR the emulator wrote. The full SIPp and baresip suites build on this.

import { spawnSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { requirePeer, shouldRunWith } from '../../support/peer-binary.js';
import { PeerProcesses } from '../../support/peer-process.js';
import { startEmulator, type EmulatorHarness } from '../../support/emulator-harness.js';

const peers = new PeerProcesses();
let harness: EmulatorHarness | undefined;
let dir: string | undefined;

afterEach(async () => {
  await peers.stopAll();
  await harness?.close();
  harness = undefined;
  if (dir !== undefined) await rm(dir, { recursive: true, force: true });
});

describe.skipIf(!shouldRunWith('sipp'))('emulator ← SIPp built-in uac', () => {
  it('answers SIPp’s call on the IP-ACL trunk and writes its CDR', async () => {
    requirePeer('sipp');
    harness = await startEmulator();
    dir = await mkdtemp(join(tmpdir(), 'emulator-sipp-'));
    const exported = spawnSync('sipp', ['-sd', 'uac'], { encoding: 'utf8' });
    // `sipp -sd` prints the scenario and exits 99 (it "stops" without calls); the XML is what counts.
    expect(exported.stdout).toContain('<scenario');
    const scenario = join(dir, 'uac.xml');
    const numbered = exported.stdout.replaceAll('sipp <sip:sipp@', '<sip:+14155550101@');
    expect(numbered).not.toBe(exported.stdout);
    writeFileSync(scenario, numbered);

    const run = await peers.run(
      'sipp',
      [
        `${harness.udp.address}:${harness.udp.port}`,
        '-sf',
        scenario,
        '-s',
        '+14155550111',
        '-i',
        '127.0.0.1',
        '-p',
        '0',
        '-m',
        '1',
        '-nostdin',
        '-timeout',
        '30s',
        '-timeout_error',
        '-trace_err',
      ],
      { cwd: dir },
    );
    expect(run.exitCode, run.output).toBe(0);

    const cdr = await harness.cdr((c) => c.to_number === '+14155550111');
    expect(cdr).toMatchObject({
      call_direction: 'outbound',
      from_number: '+14155550101',
      hangup_cause_code: 3010,
      hangup_source: 'customer',
      trunk_id: '10000000000002',
    });
    expect(cdr.answer_time).toBeTruthy();
  });
});
