import { describe, expect, it } from 'vitest';
import {
  CliUsageError,
  meetsExpectation,
  parseDurationMs,
  parseExpectation,
  parsePlaySpec,
} from '../../src/cli/call-flags.js';

describe('trunkline call flag grammars', () => {
  it.each([
    ['2s', 2_000],
    ['1.5s', 1_500],
    ['500ms', 500],
    ['1m', 60_000],
    ['3', 3_000],
  ])('reads the duration %s as %i ms', (text, ms) => {
    expect(parseDurationMs(text, '--x')).toBe(ms);
  });

  it.each(['', '2 h', '-1s', 's'])('refuses the duration "%s" and names the flag', (text) => {
    expect(() => parseDurationMs(text, '--dtmf-at')).toThrow(/--dtmf-at/);
  });

  it('reads a tone and a WAV path for --play', () => {
    expect(parsePlaySpec('tone:440')).toEqual({ kind: 'tone', spec: 'tone:440' });
    expect(parsePlaySpec('hello.wav')).toEqual({ kind: 'wav', path: 'hello.wav' });
    expect(() => parsePlaySpec(' ')).toThrow(CliUsageError);
  });

  const facts = (over: Partial<Parameters<typeof meetsExpectation>[1]> = {}) => ({
    outcome: 'answered',
    sipStatus: undefined,
    hangupCode: 3010,
    hangupName: 'normal_hangup',
    ...over,
  });

  it.each([
    ['answered', facts(), true],
    ['answered', facts({ outcome: 'transferred' }), true],
    ['answered', facts({ outcome: 'rejected', sipStatus: 486 }), false],
    ['486', facts({ outcome: 'rejected', sipStatus: 486, hangupCode: 4410 }), true],
    ['486', facts({ outcome: 'rejected', sipStatus: 603 }), false],
    ['4180', facts({ outcome: 'rejected', sipStatus: 403, hangupCode: 4180 }), true],
    ['call_rejected_unauthorized', facts({ hangupName: 'call_rejected_unauthorized' }), true],
    ['NORMAL_HANGUP', facts(), true],
    ['cancelled', facts({ outcome: 'cancelled' }), true],
    ['cancelled', facts(), false],
  ] as const)('--expect %s against %o → %s', (text, f, expected) => {
    expect(meetsExpectation(parseExpectation(text), f)).toBe(expected);
  });

  it.each(['4-1-8', '99', ''])('refuses --expect "%s" with what to write', (text) => {
    expect(() => parseExpectation(text)).toThrow(/answered, a SIP status/);
  });
});
