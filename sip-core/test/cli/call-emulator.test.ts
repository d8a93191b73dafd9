// `trunkline call --json` — the real bin in a child process — against an in-process Emulator on 127.0.0.1: every
// rejection the emulator issue lists is reported with the right code, name, source and remedy (one table row
// each, the remedy checked against policy's catalogue), and an echo call over TLS with SRTP mandatory, the
// emulator's CA trusted through a CA bundle file (`--ca`, as `trunkline emulator export-ca` writes it).

import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { analyzeCaptureBytes } from '../../src/diagnostics/pcap/index.js';
import { hangupCauseEntry } from '../../src/policy/catalogue/hangup-cause-lookup.js';
import { DEMO_CREDENTIALS } from '../../src/policy/account/demo-account.js';
import type { HangupSource } from '../../src/policy/evidence.js';
import { callResultOf, jsonLines, TRUNKLINE_BIN, waitForLine } from '../support/trunkline-cli.js';
import type { EmulatorHarness } from '../support/emulator-harness.js';
import {
  DEMO_CALLER_ID,
  demoTrunkDomain,
  ECHO_NUMBER,
  roomyDemoAccount,
  startRoomyEmulator,
  type DemoTrunkKind,
} from '../support/phone-and-emulator.js';
import { PeerProcesses } from '../support/peer-process.js';
import { useTeardown } from '../support/teardown.js';
import { useTempDir } from '../support/temp-dir.js';

const peers = new PeerProcesses();
const teardown = useTeardown(peers);
const tempDir = useTempDir('trunkline-call-emulator-');

/** An Australian number on the account whose prefix (1300) ACMA rules forbid as a CLI (§4.2 #14). */
const AU_1300_CALLER_ID = '+611300555012';

interface RejectionRow {
  readonly name: string;
  readonly number: string;
  readonly callerId?: string;
  readonly trunk?: DemoTrunkKind;
  readonly domain?: string;
  /** A profile file's password for the credential trunk (the wrong one, for 4180). */
  readonly password?: string;
  readonly sipStatus: number;
  readonly code: number;
  readonly causeName: string;
  readonly source: HangupSource;
  /** The emulator's deciding rule, when the emulator itself refused the call (not the far end). */
  readonly ruleId?: string;
}

const REJECTIONS: readonly RejectionRow[] = [
  {
    name: 'unknown caller ID',
    number: ECHO_NUMBER,
    callerId: '+14155559999',
    sipStatus: 403,
    code: 4190,
    causeName: 'unknown_caller_id',
    source: 'zentrunk',
    ruleId: 'caller-id.owned',
  },
  {
    name: 'caller ID on the Do-Not-Originate list',
    number: ECHO_NUMBER,
    callerId: '+14155550102',
    sipStatus: 403,
    code: 4200,
    causeName: hangupCauseEntry(4200).causeName,
    source: 'zentrunk',
    ruleId: 'caller-id.dno',
  },
  {
    name: 'Australian CLI prefix (1300)',
    number: ECHO_NUMBER,
    callerId: AU_1300_CALLER_ID,
    sipStatus: 403,
    code: 4190,
    causeName: 'unknown_caller_id',
    source: 'zentrunk',
    ruleId: 'caller-id.country-rules',
  },
  {
    name: 'barred country (Cuba)',
    number: '+5378345678',
    sipStatus: 403,
    code: 4560,
    causeName: hangupCauseEntry(4560).causeName,
    source: 'zentrunk',
    ruleId: 'destination.geo',
  },
  {
    name: 'premium-rate destination',
    number: '+19002345678',
    sipStatus: 403,
    code: 4570,
    causeName: hangupCauseEntry(4570).causeName,
    source: 'zentrunk',
    ruleId: 'destination.premium',
  },
  {
    name: 'high-risk prefix',
    number: '+881612345678',
    sipStatus: 403,
    code: 4570,
    causeName: hangupCauseEntry(4570).causeName,
    source: 'zentrunk',
    ruleId: 'destination.premium',
  },
  {
    name: 'missing country code',
    number: '4155550111',
    sipStatus: 404,
    code: 4100,
    causeName: hangupCauseEntry(4100).causeName,
    source: 'zentrunk',
    ruleId: 'destination.format',
  },
  {
    name: 'unknown trunk',
    number: ECHO_NUMBER,
    domain: '99999999999999.zt.plivo.com',
    sipStatus: 404,
    code: 4070,
    causeName: 'trunk_not_found',
    source: 'zentrunk',
    ruleId: 'trunk.lookup',
  },
  {
    name: 'wrong credentials',
    number: ECHO_NUMBER,
    trunk: 'credential',
    password: 'not-the-demo-password',
    sipStatus: 403,
    code: 4180,
    causeName: hangupCauseEntry(4180).causeName,
    source: 'zentrunk',
    ruleId: 'auth.acl-or-digest',
  },
  {
    name: 'far end refuses the codec (488)',
    number: '+14155550188',
    sipStatus: 488,
    code: 4630,
    causeName: hangupCauseEntry(4630).causeName,
    source: 'carrier',
  },
  {
    name: 'far end busy',
    number: '+14155550186',
    sipStatus: 486,
    code: 4410,
    causeName: hangupCauseEntry(4410).causeName,
    source: 'carrier',
  },
];

let shared: EmulatorHarness | undefined;

/** One emulator for the rejection rows: none of them leaves a call up. */
async function emulator(): Promise<EmulatorHarness> {
  shared ??= await startRoomyEmulator(() => undefined, { account: roomyDemoAccount([AU_1300_CALLER_ID]) });
  return shared;
}

describe('trunkline call --json against the emulator: rejections', () => {
  afterAll(async () => {
    await shared?.close();
    shared = undefined;
  });

  it.each(REJECTIONS)('$name: $sipStatus, $code, with the catalogue’s remedy', async (row) => {
    const harness = await emulator();
    const udp = harness.emulator.addresses().udp!;
    const args = [
      TRUNKLINE_BIN,
      'call',
      row.number,
      '--domain',
      row.domain ?? demoTrunkDomain(row.trunk ?? 'ip-acl'),
      '--proxy',
      `${udp.address}:${udp.port}`,
      '--transport',
      'udp',
      '--caller-id',
      row.callerId ?? DEMO_CALLER_ID,
      '--expect',
      String(row.code),
      '--json',
    ];
    if (row.password !== undefined) {
      // The password in a profile file, never on the command line (ps shows argv).
      const profile = join(tempDir(), `profile-${row.code}.json`);
      await writeFile(
        profile,
        JSON.stringify({ username: DEMO_CREDENTIALS.credential.username, password: row.password }),
      );
      args.push('--profile', profile);
    }
    const run = await peers.run(process.execPath, args);
    const result = callResultOf(run.output);
    expect(result, run.output).toMatchObject({
      outcome: 'rejected',
      sipStatus: row.sipStatus,
      matched: true,
      hangup: {
        code: row.code,
        name: row.causeName,
        source: row.source,
        inferred: false,
        remedy: hangupCauseEntry(row.code).remedy,
      },
    });
    expect(run.exitCode, run.output).toBe(0);
    if (row.password !== undefined) expect(run.output).not.toContain(row.password);
    if (row.ruleId !== undefined) {
      const refused = harness.events.policyDecision!.filter((d) => d.decision === 'reject').at(-1);
      expect(refused?.rule?.ruleId, 'the emulator’s deciding rule').toBe(row.ruleId);
    }
  });
});

describe('trunkline call --json against the emulator: TLS', () => {
  it('echo call on the secure trunk: SRTP, the CA from a bundle file, DTMF detected by the emulator', async () => {
    const harness = await startRoomyEmulator(teardown);
    const tls = harness.emulator.addresses().tls!;
    const ca = join(tempDir(), 'emulator-ca.pem');
    await writeFile(ca, harness.emulator.caCertificatePem!);
    const run = await peers.run(process.execPath, [
      TRUNKLINE_BIN,
      'call',
      ECHO_NUMBER,
      '--domain',
      demoTrunkDomain('secure'),
      '--proxy',
      `${tls.address}:${tls.port}`,
      '--transport',
      'tls',
      '--ca',
      ca,
      '--no-system-cas',
      '--caller-id',
      DEMO_CALLER_ID,
      '--play',
      'tone:440',
      '--dtmf',
      '0123456789*#',
      '--dtmf-at',
      '300ms',
      '--hangup-after',
      '3s',
      '--json',
    ]);
    const result = callResultOf(run.output);
    expect(result, run.output).toMatchObject({
      outcome: 'answered',
      matched: true,
      codec: 'PCMU',
      srtp: 'AES_CM_128_HMAC_SHA1_80',
      hangup: { code: 3010, name: 'normal_hangup', source: 'customer' },
    });
    expect(run.exitCode).toBe(0);
    expect(result.rtp?.received.packets, 'the echo came back').toBeGreaterThan(50);
    expect(harness.events.dtmf!.map((d) => d.digit).join('')).toBe('0123456789*#');
    const cdr = await harness.cdr((c) => c.to_number === ECHO_NUMBER);
    expect(cdr).toMatchObject({ transport_protocol: 'tls', srtp: true, hangup_cause_code: 3010 });
  });
});

describe('trunkline call against a trunkline emulator process', () => {
  it('two child processes: the echo call answered, the emulator prints each DTMF digit and the CDR', async () => {
    const dir = tempDir();
    const config = join(dir, 'emulator.json');
    await writeFile(config, JSON.stringify({ version: 1, account: roomyDemoAccount() }));
    const server = peers.start(process.execPath, [
      TRUNKLINE_BIN,
      'emulator',
      '--config',
      config,
      '--data',
      join(dir, 'emulator-data'),
      '--udp',
      '0',
      '--tcp',
      'off',
      '--tls',
      'off',
      '--json',
    ]);
    const udp = (await waitForLine(server, 'listening'))['udp'] as { address: string; port: number };
    const run = await peers.run(process.execPath, [
      TRUNKLINE_BIN,
      'call',
      ECHO_NUMBER,
      '--domain',
      demoTrunkDomain('ip-acl'),
      '--proxy',
      `${udp.address}:${udp.port}`,
      '--transport',
      'udp',
      '--caller-id',
      DEMO_CALLER_ID,
      '--dtmf',
      '159#',
      '--dtmf-at',
      '200ms',
      '--hangup-after',
      '2s',
      '--json',
    ]);
    expect(callResultOf(run.output), run.output).toMatchObject({ outcome: 'answered', matched: true });
    const cdr = await waitForLine(server, 'call');
    expect(cdr).toMatchObject({ hangupCauseCode: 3010, hangupSource: 'customer' });
    const digits = jsonLines(server).filter((line) => line.type === 'dtmf');
    expect(digits.map((line) => line['digit']).join('')).toBe('159#');
    expect(new Set(digits.map((line) => line['callUuid']))).toEqual(new Set([cdr['callUuid']]));
  });

  it('trunkline emulator --pcap: the session’s SIP and both directions of the call’s RTP, written on SIGTERM', async () => {
    const dir = tempDir();
    const config = join(dir, 'emulator.json');
    const pcap = join(dir, 'session.pcapng');
    await writeFile(config, JSON.stringify({ version: 1, account: roomyDemoAccount() }));
    const server = peers.start(process.execPath, [
      TRUNKLINE_BIN,
      'emulator',
      ...['--config', config, '--data', join(dir, 'emulator-data')],
      ...['--udp', '0', '--tcp', 'off', '--tls', 'off', '--pcap', pcap, '--json'],
    ]);
    const udp = (await waitForLine(server, 'listening'))['udp'] as { address: string; port: number };
    const run = await peers.run(process.execPath, [
      TRUNKLINE_BIN,
      'call',
      ECHO_NUMBER,
      ...['--domain', demoTrunkDomain('ip-acl'), '--proxy', `${udp.address}:${udp.port}`],
      ...['--transport', 'udp', '--caller-id', DEMO_CALLER_ID, '--hangup-after', '1s', '--json'],
    ]);
    expect(callResultOf(run.output), run.output).toMatchObject({ outcome: 'answered' });
    await waitForLine(server, 'call');
    process.kill(server.pid, 'SIGTERM');
    expect(await server.exited).toBe(0);

    const analysis = analyzeCaptureBytes(await readFile(pcap));
    expect(analysis.calls).toHaveLength(1);
    const methods = analysis.calls[0].messages.map((m) => ('method' in m.message ? m.message.method : ''));
    expect(methods).toEqual(expect.arrayContaining(['INVITE', 'ACK', 'BYE']));
    const rtp = analysis.rtpStreams.filter((stream) => stream.kind === 'rtp');
    // The caller's stream to the emulator and the far end's echo back, each with a second of packets.
    expect(rtp.length).toBeGreaterThanOrEqual(2);
    for (const stream of rtp.slice(0, 2)) expect(stream.packets).toBeGreaterThan(25);
  });
});
