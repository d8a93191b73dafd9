// Outbound calls of the softphone (sip.js on our stack, our SDH driving media/) against the test trunk over real
// sockets, on UDP, TCP and TLS: answer, two-way audio proven by tone detection on both sides, RFC 4733 digits
// both ways, hold and resume, mute, early media, CANCEL, rejections with and without Zentrunk's hangup headers.

import { describe, expect, it } from 'vitest';
import { ToneDetectorSink, ToneSource } from '../../src/media/session/index.js';
import type { CallMediaState, CallProgress, CallStats } from '../../src/ua/call-events.js';
import { endOf, sleep, startPhoneAndTrunk, until, untilState } from '../support/softphone-fixtures.js';
import { useTeardown } from '../support/teardown.js';

const teardown = useTeardown();
const PHONE_HZ = 440;
const TRUNK_HZ = 1000;

describe.each(['udp', 'tcp', 'tls'] as const)('outbound calls over %s', (transport) => {
  it('answers with two-way audio and RFC 4733 digits both ways, then hangs up with 3010', async () => {
    const { trunk, phone } = await startPhoneAndTrunk(transport, teardown, { trunk: { toneHz: TRUNK_HZ } });
    const heard = new ToneDetectorSink({ windowMs: 1000 });
    const progress: CallProgress[] = [];
    const media: CallMediaState[] = [];
    const call = phone.call('+14155550199', { source: ToneSource.sine(PHONE_HZ), sinks: [heard] });
    call.on('progress', (p) => progress.push(p));
    call.on('media', (m) => media.push(m));
    const digits: string[] = [];
    call.on('dtmf', (d) => digits.push(d.digit));
    await untilState(call, 'answered');
    expect(progress.map((p) => p.statusCode)).toEqual([180]);
    expect(media.at(-1)).toMatchObject({
      codec: 'PCMU',
      direction: 'sendrecv',
      telephoneEvent: true,
      srtpSuite: 'AES_CM_128_HMAC_SHA1_80',
    });

    await sleep(1_200);
    expect(heard.analyze(TRUNK_HZ)?.present, 'the phone hears the trunk').toBe(true);
    const far = trunk.callTo('+14155550199')!;
    expect(far.detector.analyze(PHONE_HZ)?.present, 'the trunk hears the phone').toBe(true);

    call.sendDtmf('0123456789*#');
    await until(() => far.dtmf.join('') === '0123456789*#', 'the trunk to receive every digit', 8_000);
    far.media!.sendDtmf('#7');
    await until(() => digits.join('') === '#7', 'the phone to receive the trunk’s digits');

    await call.hangup();
    const end = await endOf(call);
    expect(end.outcome).toBe('answered');
    expect(end.endedBy).toBe('local');
    expect(end.hangup).toMatchObject({
      code: 3010,
      name: 'normal_hangup',
      source: 'customer',
      inferred: true,
    });
    expect(end.timings.timeToAnswerMs).toBeGreaterThan(0);
    expect(end.timings.durationMs).toBeGreaterThan(1_000);
    expect(end.stats?.received.packets).toBeGreaterThan(40);
    expect(end.stats?.sent.dtmfDigits).toBe(12);
    expect(far.requests).toEqual(['ACK', 'BYE']);
  });

  it('holds and resumes by re-INVITE, and mutes without stopping media', async () => {
    const { trunk, phone } = await startPhoneAndTrunk(transport, teardown);
    const call = phone.call('+14155550198', { source: ToneSource.sine(PHONE_HZ) });
    await untilState(call, 'answered');
    const far = trunk.callTo('+14155550198')!;
    await call.hold();
    expect(call.held).toBe(true);
    expect(call.mediaState?.direction).toBe('sendonly');
    expect(far.negotiated?.direction).toBe('recvonly');
    await call.resume();
    expect(call.mediaState?.direction).toBe('sendrecv');
    expect(far.negotiated?.direction).toBe('sendrecv');
    expect(far.requests.filter((m) => m === 'INVITE')).toHaveLength(2);

    await sleep(800);
    expect(far.detector.analyze(PHONE_HZ)?.present).toBe(true);
    call.mute();
    await sleep(1_600);
    expect(far.detector.analyze(PHONE_HZ)?.present, 'muted: the trunk hears no tone').toBe(false);
    const sent = call.media!.stats().sent.audioPackets;
    await sleep(200);
    expect(call.media!.stats().sent.audioPackets, 'muted: RTP still flows').toBeGreaterThan(sent);
    call.unmute();
    await sleep(1_600);
    expect(far.detector.analyze(PHONE_HZ)?.present).toBe(true);
    await call.hangup();
  });

  it('plays early media from a 183 before the answer', async () => {
    const { phone } = await startPhoneAndTrunk(transport, teardown, {
      trunk: {
        toneHz: TRUNK_HZ,
        scenario: () => ({ kind: 'answer', earlyMedia: true, answerAfterMs: 1_500 }),
      },
    });
    const heard = new ToneDetectorSink({ windowMs: 800 });
    const call = phone.call('+14155550197', { sinks: [heard] });
    await untilState(call, 'early-media');
    await sleep(1_000);
    expect(call.state).toBe('early-media');
    expect(heard.analyze(TRUNK_HZ)?.present, 'early media is heard before the 200').toBe(true);
    await untilState(call, 'answered');
    await call.hangup();
    expect((await endOf(call)).outcome).toBe('answered');
  });

  it('cancels a ringing call: 487, explained as user_cancelled', async () => {
    const { trunk, phone } = await startPhoneAndTrunk(transport, teardown, {
      trunk: { scenario: () => ({ kind: 'ring' }) },
    });
    const call = phone.call('+14155550196');
    await untilState(call, 'ringing');
    await call.cancel();
    const end = await endOf(call);
    expect(end.outcome).toBe('cancelled');
    expect(end.hangup).toMatchObject({
      sipStatus: 487,
      code: 4550,
      name: 'user_cancelled',
      source: 'customer',
    });
    expect(end.timings.postDialDelayMs).toBeGreaterThanOrEqual(0);
    expect(trunk.received.map((r) => r.method)).toEqual(['INVITE', 'CANCEL']);
  });
});

describe('rejections and their hangup causes (UDP)', () => {
  it('reads X-ZT-Hangup-Code and Reason of a rejection', async () => {
    const { phone } = await startPhoneAndTrunk('udp', teardown, {
      trunk: {
        scenario: () => ({ kind: 'reject', status: 403, hangupCode: 4190, causeName: 'unknown_caller_id' }),
      },
    });
    const end = await endOf(phone.call('+14155550195'));
    expect(end.outcome).toBe('rejected');
    expect(end.endedBy).toBe('remote');
    expect(end.hangup).toMatchObject({
      sipStatus: 403,
      code: 4190,
      name: 'unknown_caller_id',
      source: 'zentrunk',
      inferred: false,
      basis: 'x-zt-hangup-code',
      hangupCodeHeader: '4190',
    });
    expect(end.hangup.remedy).toMatch(/caller ID/i);
  });

  it('infers the cause from the status when the trunk sends no code, and says so', async () => {
    const { phone } = await startPhoneAndTrunk('udp', teardown, {
      trunk: { scenario: () => ({ kind: 'reject', status: 486, reason: 'Busy Here' }) },
    });
    const end = await endOf(phone.call('+14155550194'));
    expect(end.hangup).toMatchObject({
      sipStatus: 486,
      sipReason: 'Busy Here',
      code: 4410,
      name: 'user_busy',
      inferred: true,
      basis: 'sip-status',
    });
  });

  it('reports a trunk that cannot be reached as a transport failure without a Zentrunk code', async () => {
    const { phone } = await startPhoneAndTrunk('tcp', teardown, {
      profile: { outboundProxy: '127.0.0.1:1' },
    });
    const end = await endOf(phone.call('+14155550193'));
    expect(end.outcome).toBe('rejected');
    expect(end.endedBy).toBe('network');
    expect(end.hangup).toMatchObject({ sipStatus: 503, code: undefined, basis: 'none' });
    expect(end.hangup.remedy).toMatch(/termination domain, transport and port/);
  });

  it('stop() right after a hangup still delivers the BYE and waits for its answer', async () => {
    const { trunk, phone } = await startPhoneAndTrunk('udp', teardown);
    const call = phone.call('+14155550190');
    await untilState(call, 'answered');
    void call.hangup();
    // sip.js ends the call as the BYE leaves: a CLI that stops the phone at that moment must not lose it.
    await call.ended;
    await phone.stop();
    const far = trunk.callTo('+14155550190')!;
    await until(() => far.requests.includes('BYE'), 'the trunk to get the BYE');
    expect(phone.bridge.pending.outgoing).toBe(0);
  });

  it('reports RTP statistics with the audio levels both ways while the call runs', async () => {
    const { phone } = await startPhoneAndTrunk('udp', teardown, { trunk: { toneHz: TRUNK_HZ } });
    const call = phone.call('+14155550191', { source: ToneSource.sine(PHONE_HZ, -12) });
    const stats: CallStats[] = [];
    call.on('stats', (s) => stats.push(s));
    await untilState(call, 'answered');
    await until(() => stats.length >= 3, 'three statistics events', 8_000);
    await call.hangup();
    const last = stats.at(-1)!;
    expect(last.media.sent.audioPackets).toBeGreaterThan(stats[0].media.sent.audioPackets);
    expect(last.media.received.packets).toBeGreaterThan(stats[0].media.received.packets);
    // Our -12 dBFS sine, through µ-law and back, measures within a dB of what was asked.
    expect(last.levels.sentDbfs).toBeGreaterThan(-13);
    expect(last.levels.sentDbfs).toBeLessThan(-11);
    expect(last.levels.receivedDbfs, 'the trunk’s tone is heard').toBeGreaterThan(-30);
  });

  it('warns before dialling when the caller ID is not one of the profile’s Plivo numbers (never blocking)', async () => {
    const { trunk, phone } = await startPhoneAndTrunk('udp', teardown);
    const call = phone.call('+14155550192', { callerId: '+14155559999' });
    expect(call.preDialWarnings.map((w) => w.code)).toEqual([4190]);
    expect(call.preDialWarnings[0].message).toMatch(/4190 unknown_caller_id/);
    await untilState(call, 'answered');
    expect(trunk.calls.at(-1)!.invite.from?.uri.toString()).toContain('+14155559999');
    await call.hangup();
  });
});
