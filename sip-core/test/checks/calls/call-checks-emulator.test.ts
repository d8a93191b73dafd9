// The call checks against the in-process emulator (real sockets on 127.0.0.1, the demo account as
// `trunkline check --emulator` starts it): every check passes; a one-way-audio fault set by the emulator's
// impairment setting fails `two-way-audio` in the right direction while the packet counts stay normal; and the
// two broken profiles — a caller ID the account does not own, SRTP mandatory against the plain trunk — fail
// exactly the expected checks with their cause and remedy, and skip the dependants with the reason.

import { describe, expect, it } from 'vitest';
import {
  CALL_CHECKS,
  startCheckEmulator,
  type CheckEmulatorOptions,
} from '../../../src/checks/calls/index.js';
import {
  CheckRunner,
  createNetworkCheckServices,
  NETWORK_CHECKS,
  type CheckResult,
  type CheckSelection,
} from '../../../src/checks/index.js';
import { systemClock } from '../../../src/common/clock.js';
import { useTeardown } from '../../support/teardown.js';

const teardown = useTeardown();
const CALL_CHECK_IDS = CALL_CHECKS.map((c) => c.id);
const DEPENDANTS = ['two-way-audio', 'dtmf', 'hold-resume', 'blind-transfer', 'hangup-cdr'];

async function run(
  options: Omit<CheckEmulatorOptions, 'clock'> = {},
  selection?: CheckSelection,
): Promise<Map<string, CheckResult>> {
  const emulator = await startCheckEmulator({ clock: systemClock, ...options });
  teardown(() => emulator.close());
  const services = {
    ...createNetworkCheckServices({ clock: systemClock, localAddress: '127.0.0.1' }),
    calls: emulator.environment,
  };
  const runner = new CheckRunner({ checks: [...NETWORK_CHECKS, ...CALL_CHECKS], services });
  const result = await runner.run(emulator.target, selection ? { selection } : {});
  return new Map(result.results.map((r) => [r.id, r]));
}

const value = (result: CheckResult | undefined, name: string) =>
  result?.measurements.find((m) => m.name === name)?.value;

describe('the call checks on the emulator’s demo account', () => {
  it('pass, each with its ladder; the audio checks carry waveforms and packet counts', async () => {
    const results = await run();
    // The summary goes with the status, so a failure says what the check saw.
    const statuses = Object.fromEntries(
      [...results].map(([id, r]) => [
        id,
        r.status === 'pass' || r.status === 'skipped' ? r.status : `${r.status}: ${r.summary}`,
      ]),
    );
    expect(statuses).toEqual({
      dns: 'skipped',
      tls: 'skipped',
      options: 'pass',
      auth: 'pass',
      ...Object.fromEntries(CALL_CHECK_IDS.map((id) => [id, 'pass'])),
    });
    for (const id of CALL_CHECK_IDS) {
      const sip = results.get(id)!.evidence.sip;
      expect(sip.length, id).toBeGreaterThan(0);
      expect(
        sip[0].messages.some((m) => /^INVITE /.test(m.text)),
        id,
      ).toBe(true);
    }
    const audio = results.get('two-way-audio')!;
    expect(audio.evidence.waveforms.map((w) => w.samples.length)).toEqual([4_000, 4_000]);
    expect(value(audio, 'echoDetected')).toBe(true);
    expect(value(audio, 'farToneDetected')).toBe(true);
    expect(value(results.get('dtmf'), 'detected')).toBe('0123456789*#ABCD');
    expect(value(results.get('hangup-cdr'), 'cdrHangupCauseName')).toBe('normal_hangup');
    expect(value(results.get('inbound-fallback'), 'answeredLeg')).toBe('fallback');
    // Digest responses are masked in the evidence.
    const texts = [...results.values()].flatMap((r) =>
      r.evidence.sip.flatMap((e) => e.messages.map((m) => m.text)),
    );
    expect(texts.some((t) => /response="[0-9a-f]{32}"/.test(t))).toBe(false);
  }, 120_000);
});

describe('the emulator’s secure trunk (TLS)', () => {
  it('negotiates SRTP and hears the echo through it', async () => {
    const results = await run({ transport: 'tls' }, { only: ['auth', 'two-way-audio'] });
    expect([...results].map(([id, r]) => [id, r.status])).toEqual([
      ['dns', 'skipped'],
      ['tls', 'pass'],
      ['options', 'pass'],
      ['auth', 'pass'],
      ['outbound-call', 'pass'],
      ['two-way-audio', 'pass'],
    ]);
    expect(value(results.get('outbound-call'), 'srtpSuite')).toBe('AES_CM_128_HMAC_SHA1_80');
  }, 120_000);
});

describe('a one-way-audio fault set by the emulator’s impairment setting', () => {
  it.each([
    ['to-far-end', 'us → far end'],
    ['from-far-end', 'far end → us'],
  ] as const)(
    'mute %s fails two-way-audio naming %s, with normal packet counts',
    async (mute, direction) => {
      const results = await run({ impairment: { mute } }, { only: ['two-way-audio'] });
      const audio = results.get('two-way-audio')!;
      expect(audio.status).toBe('fail');
      expect(value(audio, 'silentDirection')).toBe(direction);
      expect(audio.cause?.summary).toContain(direction);
      expect(audio.remedy).toMatch(/NAT/);
      // Packets flow normally both ways: at least 2 s of 20 ms frames, and about as many received as sent.
      const sent = value(audio, 'echoSentPackets') as number;
      const received = value(audio, 'echoReceivedPackets') as number;
      expect(sent).toBeGreaterThan(100);
      expect(received).toBeGreaterThan(sent * 0.9);
      expect(results.get('outbound-call')?.status).toBe('pass');
    },
    120_000,
  );
});

describe('broken profiles', () => {
  it('a caller ID the account does not own: outbound-call fails with 4190, its dependants are skipped', async () => {
    const results = await run({ profile: { callerIds: ['+14155550199'] } });
    const failed = [...results.values()].filter((r) => r.status === 'fail').map((r) => r.id);
    // auth also places its probe INVITE with the target's caller ID, and names the same code.
    expect(failed.sort()).toEqual(['auth', 'outbound-call']);
    const outbound = results.get('outbound-call')!;
    expect(outbound.cause).toMatchObject({
      hangupCode: 4190,
      hangupCauseName: 'unknown_caller_id',
      sipStatus: 403,
    });
    expect(outbound.remedy).toMatch(/Plivo numbers/);
    expect(outbound.evidence.sip[0].messages.some((m) => m.text.startsWith('SIP/2.0 403'))).toBe(true);
    for (const id of DEPENDANTS) {
      expect(results.get(id), id).toMatchObject({
        status: 'skipped',
        skipReason: { kind: 'dependency', dependencyId: 'outbound-call', dependencyStatus: 'fail' },
      });
    }
    expect(results.get('inbound')?.status).toBe('pass');
  }, 120_000);

  it('SRTP mandatory against the plain trunk: the calls that negotiate media fail, each naming SRTP', async () => {
    const results = await run({ profile: { srtp: 'mandatory' } });
    const failed = [...results.values()].filter((r) => r.status === 'fail').map((r) => r.id);
    // Outbound, and the inbound calls too: the plain trunk offers plain RTP, which the profile refuses.
    expect(failed).toEqual(['outbound-call', 'inbound', 'inbound-fallback']);
    for (const id of ['inbound', 'inbound-fallback']) {
      expect(results.get(id)?.cause?.summary, id).toMatch(/SRTP is mandatory in the trunk profile/);
    }
    const outbound = results.get('outbound-call')!;
    expect(outbound.cause?.summary).toMatch(/SRTP is mandatory in the trunk profile/);
    expect(outbound.cause?.sipStatus).toBe(488);
    expect(outbound.remedy).toMatch(/secure trunking/);
    expect(value(outbound, 'srtpRequired')).toBe(true);
    expect(value(outbound, 'srtpNegotiated')).toBe(false);
    for (const id of DEPENDANTS) expect(results.get(id)?.skipReason?.kind, id).toBe('dependency');
  }, 120_000);
});
