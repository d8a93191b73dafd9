// `trunkline call --pcap/--keylog` in process (`main()`) against the in-process emulator, read back with
// diagnostics' own capture reader: a call the trunk refuses still leaves its whole SIP exchange in the file
// (INVITE, 403 with X-ZT-Hangup-Code 4190, ACK); a key log that already existed is made 0600; and an unwritable
// key log is refused before any call, with the path in the message.

import { chmod, stat, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { main } from '../../src/cli/main.js';
import { analyzeCaptureFile } from '../../src/diagnostics/pcap/index.js';
import { demoTrunkDomain, ECHO_NUMBER, startRoomyEmulator } from '../support/phone-and-emulator.js';
import { useTeardown } from '../support/teardown.js';
import { useTempDir } from '../support/temp-dir.js';

const teardown = useTeardown();
const tempDir = useTempDir('trunkline-call-pcap-unit-');

async function runCall(args: readonly string[]) {
  const out: string[] = [];
  const err: string[] = [];
  const status = await main(['node', 'trunkline', 'call', ...args], {
    out: (text) => out.push(text),
    err: (text) => err.push(text),
    env: {},
  });
  return { status, out, err };
}

describe('trunkline call --pcap', () => {
  it('writes the SIP of a refused call: INVITE, 403 (4190), ACK — and the key log file mode is 0600', async () => {
    const harness = await startRoomyEmulator(teardown);
    const udp = harness.emulator.addresses().udp!;
    const pcap = join(tempDir(), 'refused.pcapng');
    const keyLog = join(tempDir(), 'existing.keys');
    await writeFile(keyLog, '');
    await chmod(keyLog, 0o644);
    const run = await runCall([
      ECHO_NUMBER,
      '--domain',
      demoTrunkDomain('ip-acl'),
      '--proxy',
      `${udp.address}:${udp.port}`,
      '--transport',
      'udp',
      '--caller-id',
      '+14155559999',
      '--expect',
      '4190',
      '--pcap',
      pcap,
      '--keylog',
      keyLog,
    ]);
    expect(run.status, run.err.join('\n')).toBe(0);
    expect((await stat(keyLog)).mode & 0o777).toBe(0o600);

    const analysis = await analyzeCaptureFile(pcap);
    expect(analysis.format).toBe('pcapng');
    expect(analysis.calls).toHaveLength(1);
    const labels = analysis.calls[0].messages.map(({ message }) =>
      message.kind === 'request' ? message.method : `${message.statusCode} ${message.cseq?.method ?? ''}`,
    );
    expect(labels.filter((label) => !label.startsWith('1'))).toEqual(['INVITE', '403 INVITE', 'ACK']);
    const refusal = analysis.calls[0].messages.find(
      ({ message }) => message.kind === 'response' && message.statusCode === 403,
    )!;
    expect(refusal.message.headers.get('X-ZT-Hangup-Code')).toBe('4190');
  });

  it('refuses a key log it cannot create before placing any call', async () => {
    const harness = await startRoomyEmulator(teardown);
    const udp = harness.emulator.addresses().udp!;
    const keyLog = join(tempDir(), 'no-such-folder', 'keys.log');
    const run = await runCall([
      ECHO_NUMBER,
      '--domain',
      demoTrunkDomain('ip-acl'),
      '--proxy',
      `${udp.address}:${udp.port}`,
      '--transport',
      'udp',
      '--caller-id',
      '+14155550101',
      '--keylog',
      keyLog,
    ]);
    expect(run.status).toBe(2);
    expect(run.err.join('\n')).toContain(`Cannot create the TLS key log ${keyLog}`);
    expect(harness.events.callState ?? []).toEqual([]);
  });
});
