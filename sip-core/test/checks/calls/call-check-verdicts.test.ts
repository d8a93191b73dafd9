// The call checks' verdicts as tables: each check's pure function from measured facts to an outcome (status,
// the words of the cause, the measurements a report shows). The checks themselves are driven against the
// emulator in call-checks-emulator.test.ts.

import { describe, expect, it } from 'vitest';
import {
  blindTransferVerdict,
  directionOf,
  dtmfVerdict,
  hangupCdrVerdict,
  holdResumeVerdict,
  inboundVerdict,
  outboundCallVerdict,
  twoWayAudioVerdict,
  type AudioLegFacts,
  type OutboundCallFacts,
} from '../../../src/checks/calls/index.js';
import type { ToneAnalysis } from '../../../src/media/tone/tone-analysis.js';
import type { TransferProgress } from '../../../src/ua/index.js';

const tone = (present: boolean, levelDbfs = present ? -10 : -120): ToneAnalysis => ({
  frequencyHz: 440,
  levelDbfs,
  residualDbfs: -40,
  snrDb: present ? 30 : 0,
  present,
});
const measured = (outcome: { measurements?: readonly { name: string; value: unknown }[] }, name: string) =>
  outcome.measurements?.find((m) => m.name === name)?.value;

describe('outboundCallVerdict', () => {
  const answered: OutboundCallFacts = {
    number: '+14155550111',
    answered: true,
    postDialDelayMs: 80,
    codec: 'PCMU',
    srtpMode: 'off',
    secureSignalling: false,
  };
  const forbidden4190 = {
    code: 4190,
    name: 'unknown_caller_id',
    sipStatus: 403,
    sipReason: 'Forbidden',
    meaning: 'A number that is not a Plivo number on this account was used as caller ID.',
    remedy: 'Use one of your Plivo numbers as the caller ID.',
  };
  it.each<[string, OutboundCallFacts, string, RegExp | undefined, number | undefined]>([
    ['answered, plain trunk', answered, 'pass', undefined, undefined],
    [
      'answered with SRTP on a secure trunk',
      { ...answered, srtpMode: 'mandatory', srtpSuite: 'AES_CM_128_HMAC_SHA1_80', secureSignalling: true },
      'pass',
      undefined,
      undefined,
    ],
    [
      'SRTP mandatory, answered plain',
      { ...answered, srtpMode: 'mandatory' },
      'fail',
      /SRTP is mandatory .* plain RTP/,
      undefined,
    ],
    [
      'TLS with optional SRTP answered plain',
      { ...answered, srtpMode: 'optional', secureSignalling: true },
      'warning',
      /without SRTP/,
      undefined,
    ],
    [
      'caller ID not owned',
      { ...answered, answered: false, hangup: forbidden4190 },
      'fail',
      /not a Plivo number/,
      4190,
    ],
    [
      'SRTP mandatory refused with 488',
      {
        ...answered,
        answered: false,
        srtpMode: 'mandatory',
        hangup: { ...forbidden4190, code: 4110, name: 'secure_trunking_disabled', sipStatus: 488 },
      },
      'fail',
      /SRTP is mandatory .* plain trunk/,
      4110,
    ],
    [
      'no response at all',
      { ...answered, answered: false, hangup: undefined },
      'fail',
      /did not answer/,
      undefined,
    ],
  ])('%s', (_name, facts, status, cause, code) => {
    const outcome = outboundCallVerdict(facts);
    expect(outcome.status).toBe(status);
    if (cause) expect(outcome.cause?.summary).toMatch(cause);
    if (status === 'fail') expect(outcome.remedy).toBeTruthy();
    expect(outcome.cause?.hangupCode).toBe(code);
    expect(measured(outcome, 'srtpRequired')).toBe(facts.srtpMode === 'mandatory');
  });

  it('names the catalogue remedy of a rejection', () => {
    const outcome = outboundCallVerdict({ ...answered, answered: false, hangup: forbidden4190 });
    expect(outcome).toMatchObject({
      remedy: forbidden4190.remedy,
      cause: { hangupCode: 4190, hangupCauseName: 'unknown_caller_id', sipStatus: 403 },
    });
    expect(outcome.summary).toContain('403 Forbidden — 4190 unknown_caller_id');
  });
});

describe('twoWayAudioVerdict', () => {
  const leg = (present: boolean | undefined, toneHz = 440, receivedPackets = 250): AudioLegFacts => ({
    toneHz,
    sentPackets: 250,
    receivedPackets,
    analysis: present === undefined ? undefined : tone(present),
  });
  it.each<[string, AudioLegFacts, AudioLegFacts | undefined, string, string | undefined]>([
    ['echo and far tone heard', leg(true), leg(true, 1004), 'pass', undefined],
    ['echo heard, no tone number (real trunk)', leg(true), undefined, 'pass', undefined],
    ['echo silent, far tone heard', leg(false), leg(true, 1004), 'fail', 'us → far end'],
    ['echo silent, far tone silent', leg(false), leg(false, 1004), 'fail', 'far end → us'],
    ['echo heard, far tone silent', leg(true), leg(false, 1004), 'fail', 'far end → us'],
    ['echo silent, no tone number', leg(false), undefined, 'fail', 'unknown'],
    ['no audio analysed at all', leg(undefined), undefined, 'fail', 'unknown'],
  ])('%s', (_name, echo, farTone, status, direction) => {
    const outcome = twoWayAudioVerdict({ echo, farTone });
    expect(outcome.status).toBe(status);
    expect(measured(outcome, 'silentDirection')).toBe(direction);
    // The packet counts are always there: they are what shows that counters alone would have passed it.
    expect(measured(outcome, 'echoSentPackets')).toBe(250);
    expect(measured(outcome, 'echoReceivedPackets')).toBe(250);
    if (direction !== undefined) {
      expect(outcome.cause?.summary).toContain(direction);
      expect(outcome.summary).toContain('250 RTP packets sent, 250 received');
    }
  });

  it('tells "no RTP at all" apart from one-way audio', () => {
    const outcome = twoWayAudioVerdict({ echo: leg(false, 440, 0), farTone: undefined });
    expect(outcome.status).toBe('fail');
    expect(outcome.summary).toMatch(/No RTP arrived/);
    expect(measured(outcome, 'silentDirection')).toBeUndefined();
  });
});

describe('dtmfVerdict', () => {
  const sent = '0123456789*#ABCD';
  it.each<[string, string, string, RegExp | undefined]>([
    ['every digit once, in order', sent, 'pass', undefined],
    ['one digit missing', '0123456789*#ABC', 'fail', /missing D/],
    ['one digit twice', '01234456789*#ABCD', 'fail', /more than once 4/],
    ['a digit never sent', '0123456789*#ABCDE', 'fail', /never sent E/],
    ['out of order', '1023456789*#ABCD', 'fail', /out of order/],
    ['nothing', '', 'fail', /missing 0 1 2/],
  ])('%s', (_name, detected, status, summary) => {
    const outcome = dtmfVerdict({ sent, detected, detectedBy: 'emulator' });
    expect(outcome.status).toBe(status);
    if (summary) expect(outcome.summary).toMatch(summary);
    expect(measured(outcome, 'detected')).toBe(detected);
  });
});

describe('holdResumeVerdict', () => {
  const good = {
    heldDirection: 'sendonly',
    holdAnswerDirection: 'recvonly',
    resumedDirection: 'sendrecv',
    audioAfterResume: tone(true),
  };
  it.each<[string, Partial<typeof good> & { error?: string }, string, RegExp | undefined]>([
    ['held, resumed, echo back', {}, 'pass', undefined],
    ['hold answered sendrecv', { holdAnswerDirection: 'sendrecv' }, 'fail', /not recvonly/],
    ['hold answered inactive', { holdAnswerDirection: 'inactive' }, 'fail', /not recvonly/],
    ['resume left sendonly', { resumedDirection: 'sendonly' }, 'fail', /not sendrecv/],
    ['audio never came back', { audioAfterResume: tone(false) }, 'fail', /did not come back/],
    ['re-INVITE refused', { error: '488 Not Acceptable Here' }, 'fail', /488/],
  ])('%s', (_name, change, status, summary) => {
    const outcome = holdResumeVerdict({ ...good, ...change });
    expect(outcome.status).toBe(status);
    if (summary) expect(outcome.summary).toMatch(summary);
  });

  it.each([
    ['v=0\r\nm=audio 4000 RTP/AVP 0\r\na=recvonly\r\n', 'recvonly'],
    ['v=0\r\na=sendonly\r\nm=audio 4000 RTP/AVP 0\r\n', 'sendonly'],
    ['v=0\r\nm=audio 4000 RTP/AVP 0\r\n', undefined],
  ])('reads the direction of %j', (sdp, direction) => {
    expect(directionOf(sdp)).toBe(direction);
  });
});

describe('blindTransferVerdict', () => {
  const requested: TransferProgress = { kind: 'requested', mode: 'blind', referTo: 'sip:+14155550112@x' };
  const accepted: TransferProgress = { kind: 'accepted', statusCode: 202 };
  const trying: TransferProgress = { kind: 'progress', statusCode: 100, reasonPhrase: 'Trying' };
  const ok: TransferProgress = { kind: 'succeeded', statusCode: 200, reasonPhrase: 'OK' };
  const byTrunk: TransferProgress = { kind: 'leg-ended', by: 'trunk', detail: '' };
  it.each<[string, TransferProgress[], string, RegExp | undefined]>([
    ['202, 100, 200, BYE from the trunk', [requested, accepted, trying, ok, byTrunk], 'pass', undefined],
    [
      'REFER refused',
      [requested, { kind: 'rejected', statusCode: 403, reasonPhrase: 'Forbidden' }],
      'fail',
      /refused: 403/,
    ],
    [
      'target busy',
      [requested, accepted, trying, { kind: 'failed', statusCode: 486, reasonPhrase: 'Busy Here' }],
      'fail',
      /did not succeed/,
    ],
    ['no NOTIFY 100', [requested, accepted, ok, byTrunk], 'warning', /no NOTIFY 100/],
    [
      'we had to BYE',
      [requested, accepted, trying, ok, { kind: 'leg-ended', by: 'local-timeout', detail: '' }],
      'fail',
      /did not end our leg/,
    ],
  ])('%s', (_name, progress, status, summary) => {
    const outcome = blindTransferVerdict({ transferNumber: '+14155550112', progress });
    expect(outcome.status).toBe(status);
    if (summary) expect(outcome.summary).toMatch(summary);
  });
});

describe('hangupCdrVerdict', () => {
  const normal = { hangup_cause_code: 3010, hangup_cause_name: 'normal_hangup' };
  it.each<[string, Parameters<typeof hangupCdrVerdict>[0], string]>([
    [
      'emulator CDR normal_hangup',
      { endedBy: 'local', hangupCode: 3010, hangupName: 'normal_hangup', cdr: normal },
      'pass',
    ],
    [
      'real trunk: CDR unreadable',
      { endedBy: 'local', hangupCode: 3010, hangupName: 'normal_hangup', cdr: 'unavailable' },
      'warning',
    ],
    [
      'emulator wrote no CDR',
      { endedBy: 'local', hangupCode: 3010, hangupName: 'normal_hangup', cdr: 'missing' },
      'fail',
    ],
    [
      'CDR with another cause',
      {
        endedBy: 'local',
        hangupCode: 3010,
        hangupName: 'normal_hangup',
        cdr: { hangup_cause_code: 3020, hangup_cause_name: 'rtp_timeout' },
      },
      'fail',
    ],
    [
      'the trunk hung up first',
      { endedBy: 'remote', hangupCode: 3020, hangupName: 'rtp_timeout', cdr: normal },
      'fail',
    ],
  ])('%s', (_name, facts, status) => {
    expect(hangupCdrVerdict(facts).status).toBe(status);
  });
});

describe('inboundVerdict', () => {
  const base = { did: '+14155550100', sentPackets: 100, receivedPackets: 100, echo: tone(true) };
  it.each<[string, Partial<Parameters<typeof inboundVerdict>[0]>, string, RegExp | undefined]>([
    [
      'answered on the primary with audio',
      { expectedLeg: 'primary', result: { outcome: 'answered', leg: 'primary' } },
      'pass',
      undefined,
    ],
    [
      'answered on the fallback as expected',
      { expectedLeg: 'fallback', result: { outcome: 'answered', leg: 'fallback' } },
      'pass',
      undefined,
    ],
    [
      'fallback answered when the primary should',
      { expectedLeg: 'primary', result: { outcome: 'answered', leg: 'fallback' } },
      'fail',
      /not the primary/,
    ],
    ['never delivered', { expectedLeg: 'primary', result: undefined }, 'fail', /not answered/],
    [
      'PBX busy',
      { expectedLeg: 'primary', result: { outcome: 'failed', leg: 'primary', sipStatus: 486 } },
      'fail',
      /\(486\)/,
    ],
    [
      'answered without audio',
      { expectedLeg: 'primary', result: { outcome: 'answered', leg: 'primary' }, echo: tone(false) },
      'fail',
      /did not come back/,
    ],
    [
      'plain offer refused because the profile requires SRTP',
      {
        expectedLeg: 'primary',
        result: { outcome: 'failed', leg: 'primary', sipStatus: 488 },
        srtpRequired: true,
      },
      'fail',
      /requires SRTP/,
    ],
  ])('%s', (_name, change, status, summary) => {
    const outcome = inboundVerdict({ ...base, expectedLeg: 'primary', result: undefined, ...change });
    expect(outcome.status).toBe(status);
    if (summary) expect(outcome.summary).toMatch(summary);
  });
});
