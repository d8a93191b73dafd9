// UDP under loss, end to end: 10 % random loss each way between two network namespaces (this suite's own
// `uaccA`/`uaccB`, 127.78.25.1 and 127.78.25.2). `trunkline emulator` runs in one, and 50 `trunkline call` runs
// (the real bin, five at a time) dial its echo number from the other with RFC 4733 digits. Every call must be
// answered and end normally (3010), and the emulator must report every digit of every call. Needs root for the
// namespaces (CI runs as root); every process is stopped by its PID and both namespaces are removed in teardown.

import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import type { CallResult } from '../../src/cli/call-result.js';
import { impairedPairIfPossible, type ImpairedPair } from '../support/netns-impair.js';
import { PeerProcesses } from '../support/peer-process.js';
import {
  DEMO_CALLER_ID,
  demoTrunkDomain,
  ECHO_NUMBER,
  roomyDemoAccount,
} from '../support/phone-and-emulator.js';
import { callResultOf, jsonLines, TRUNKLINE_BIN, waitForLine } from '../support/trunkline-cli.js';

const CALLS = 50;
const CONCURRENT_CALLS = 5;
const LOSS_PERCENT = 10;
const EMULATOR_ADDRESS = '127.78.25.1';
const PHONE_ADDRESS = '127.78.25.2';
const DIGITS = '159#';

const peers = new PeerProcesses();
let pair: ImpairedPair | undefined;
let dir: string | undefined;

afterEach(async () => {
  await peers.stopAll();
});
afterAll(() => {
  pair?.down();
  if (dir !== undefined) rmSync(dir, { recursive: true, force: true });
});

function setUp(): ImpairedPair | undefined {
  pair ??= impairedPairIfPossible({
    names: ['uaccA', 'uaccB'],
    addresses: [EMULATOR_ADDRESS, PHONE_ADDRESS],
    lossPercent: LOSS_PERCENT,
  });
  return pair;
}

/** The roomy demo account whose loopback ACL also admits the phone's namespace. */
function emulatorConfig(): Record<string, unknown> {
  const account = roomyDemoAccount() as { ip_access_control_lists: Array<{ ip_addresses: string[] }> };
  for (const acl of account.ip_access_control_lists) acl.ip_addresses.push(`${PHONE_ADDRESS}/32`);
  // No media.bindAddress: RTP follows `--host` (the phone's namespace cannot reach the emulator's 127.0.0.1).
  return { version: 1, account };
}

describe(`${LOSS_PERCENT} % UDP loss each way: the softphone against the emulator`, () => {
  it(`${CALLS} calls to the echo number with DTMF all complete`, async () => {
    const impaired = setUp();
    if (impaired === undefined) return;
    dir = mkdtempSync(join(tmpdir(), 'trunkline-ua-loss-'));
    const config = join(dir, 'emulator.json');
    writeFileSync(config, JSON.stringify(emulatorConfig()));
    const [command, args] = impaired.exec(0, process.execPath, [
      TRUNKLINE_BIN,
      'emulator',
      '--config',
      config,
      '--data',
      join(dir, 'data'),
      '--host',
      EMULATOR_ADDRESS,
      '--udp',
      '5060',
      '--tcp',
      'off',
      '--tls',
      'off',
      '--json',
    ]);
    const server = peers.start(command, args);
    await waitForLine(server, 'listening', 30_000);
    const dropsBefore = impaired.droppedPackets(0) + impaired.droppedPackets(1);

    const placeCall = async (): Promise<{ result: CallResult; output: string }> => {
      const [callCommand, callArgs] = impaired.exec(1, process.execPath, [
        TRUNKLINE_BIN,
        'call',
        ECHO_NUMBER,
        '--domain',
        demoTrunkDomain('ip-acl'),
        '--proxy',
        `${EMULATOR_ADDRESS}:5060`,
        '--transport',
        'udp',
        '--listen-address',
        PHONE_ADDRESS,
        '--caller-id',
        DEMO_CALLER_ID,
        '--dtmf',
        DIGITS,
        '--dtmf-at',
        '300ms',
        '--hangup-after',
        '2500ms',
        '--json',
      ]);
      const run = await peers.run(callCommand, callArgs);
      return { result: callResultOf(run.output), output: run.output };
    };
    const results: Array<{ result: CallResult; output: string }> = [];
    let next = 0;
    await Promise.all(
      Array.from({ length: CONCURRENT_CALLS }, async () => {
        while (next < CALLS) {
          next += 1;
          results.push(await placeCall());
        }
      }),
    );

    expect(results).toHaveLength(CALLS);
    for (const { result, output } of results) {
      expect(result, output).toMatchObject({
        outcome: 'answered',
        matched: true,
        hangup: { code: 3010, name: 'normal_hangup' },
      });
      expect(result.rtp?.received.packets, 'the echo came back').toBeGreaterThan(20);
    }
    // The emulator wrote a CDR for every call (3010, the customer hung up) and heard every digit of each.
    const deadline = Date.now() + 30_000;
    while (jsonLines(server).filter((l) => l.type === 'call').length < CALLS && Date.now() < deadline) {
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
    const cdrs = jsonLines(server).filter((l) => l.type === 'call');
    expect(cdrs).toHaveLength(CALLS);
    expect(new Set(cdrs.map((c) => c['hangupCauseCode']))).toEqual(new Set([3010]));
    const digitsByCall = new Map<unknown, string>();
    for (const line of jsonLines(server).filter((l) => l.type === 'dtmf')) {
      digitsByCall.set(line['callUuid'], (digitsByCall.get(line['callUuid']) ?? '') + String(line['digit']));
    }
    expect([...digitsByCall.values()]).toEqual(Array.from({ length: CALLS }, () => DIGITS));
    // The loss was real.
    expect(impaired.droppedPackets(0) + impaired.droppedPackets(1) - dropsBefore).toBeGreaterThan(100);
  }, 600_000);
});
