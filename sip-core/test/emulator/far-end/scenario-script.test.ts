import { describe, expect, it } from 'vitest';
import {
  BUILT_IN_FAR_END_NUMBERS,
  farEndScenarioSchema,
  scenarioScript,
  type FarEndScenarioInput,
  type ScenarioStep,
} from '../../../src/emulator/far-end/index.js';
import { DEFAULT_POLICY_SETTINGS, policySettings } from '../../../src/policy/index.js';

/** A step as `kind@ms` plus the details that matter for it, for compact table rows. */
function describeStep(step: ScenarioStep): string {
  switch (step.kind) {
    case 'ringing':
    case 'hold':
    case 'resume':
      return `${step.kind}@${step.atMs}`;
    case 'early-media':
    case 'answer':
      return `${step.kind}@${step.atMs}:${step.media.kind}`;
    case 'send-dtmf':
      return `dtmf@${step.atMs}:${step.digits}/${step.durationMs}/${step.gapMs}`;
    case 'hangup':
      return `hangup@${step.atMs}:${step.cause.code}/${step.cause.source}`;
    case 'reject':
      return `reject@${step.atMs}:${step.status} ${step.reasonPhrase}/${step.cause.code}/${step.cause.source}/${step.rule.grade}`;
  }
}

const script = (input: FarEndScenarioInput, settings = DEFAULT_POLICY_SETTINGS) =>
  scenarioScript(farEndScenarioSchema.parse(input), settings);

describe('scenario scripts', () => {
  const rows: Array<[string, FarEndScenarioInput, string[]]> = [
    [
      'answer and echo: rings, then answers in the same tick',
      { kind: 'answer' },
      ['ringing@0', 'answer@0:echo'],
    ],
    [
      'answer and play a tone',
      { kind: 'answer', media: { kind: 'tone', tones: [{ frequencyHz: 440 }] } },
      ['ringing@0', 'answer@0:tone'],
    ],
    [
      'answer and play a WAV',
      { kind: 'answer', media: { kind: 'wav', file: 'a.wav' } },
      ['ringing@0', 'answer@0:wav'],
    ],
    ['ring 3 s then answer', { kind: 'answer', afterMs: 3_000 }, ['ringing@0', 'answer@3000:echo']],
    [
      '183 at once, then answer',
      { kind: 'answer', afterMs: 4_000, earlyMedia: {} },
      ['early-media@0:tone', 'answer@4000:echo'],
    ],
    [
      'ring, 183 later, then answer',
      { kind: 'answer', afterMs: 4_000, earlyMedia: { afterMs: 1_000, media: { kind: 'silence' } } },
      ['ringing@0', 'early-media@1000:silence', 'answer@4000:echo'],
    ],
    [
      '183 then fail',
      { kind: 'reject', status: 404, afterMs: 2_000, earlyMedia: {} },
      ['early-media@0:tone', 'reject@2000:404 Not Found/4090/carrier/O'],
    ],
    ['busy', { kind: 'reject', status: 486 }, ['reject@0:486 Busy Here/4410/carrier/O']],
    ['unavailable', { kind: 'reject', status: 480 }, ['reject@0:480 Temporarily Unavailable/4340/carrier/O']],
    [
      'no answer',
      { kind: 'no-answer' },
      ['ringing@0', 'reject@60000:480 Temporarily Unavailable/6030/zentrunk/I'],
    ],
    [
      'no answer with its own ring time',
      { kind: 'no-answer', ringTimeoutMs: 5_000 },
      ['ringing@0', 'reject@5000:480 Temporarily Unavailable/6030/zentrunk/I'],
    ],
    [
      'reject 408: relayed as 503 (4160)',
      { kind: 'reject', status: 408, afterMs: 500 },
      ['ringing@0', 'reject@500:503 Service Unavailable/4160/carrier/I'],
    ],
    ['reject 603', { kind: 'reject', status: 603 }, ['reject@0:603 Decline/6040/carrier/I']],
    [
      'reject 599 (no §4.3 row): no more routes',
      { kind: 'reject', status: 599 },
      ['reject@0:503 Service Unavailable/5000/carrier/I'],
    ],
    [
      'reject with a reason phrase of its own',
      { kind: 'reject', status: 486, reasonPhrase: 'Line Engaged' },
      ['reject@0:486 Line Engaged/4410/carrier/O'],
    ],
    [
      'answer then hang up after 10 s',
      { kind: 'answer', afterMs: 1_000, hangupAfterMs: 10_000 },
      ['ringing@0', 'answer@1000:echo', 'hangup@11000:3000/carrier'],
    ],
    [
      'answer and send DTMF',
      { kind: 'answer', dtmf: { digits: '12#', afterMs: 2_000, durationMs: 80, gapMs: 60 } },
      ['ringing@0', 'answer@0:echo', 'dtmf@2000:12#/80/60'],
    ],
    [
      'answer, hold and resume',
      { kind: 'answer', hold: { afterMs: 5_000, resumeAfterMs: 3_000 } },
      ['ringing@0', 'answer@0:echo', 'hold@5000', 'resume@8000'],
    ],
    [
      'in-call steps in time order, none after the far end hangs up',
      {
        kind: 'answer',
        hangupAfterMs: 6_000,
        dtmf: { digits: '9', afterMs: 5_000 },
        hold: { afterMs: 1_000, resumeAfterMs: 6_000 },
      },
      ['ringing@0', 'answer@0:echo', 'hold@1000', 'dtmf@5000:9/100/100', 'hangup@6000:3000/carrier'],
    ],
    [
      'an answer planned after the ring timeout becomes 480 + 6030 at the timeout',
      { kind: 'answer', afterMs: 90_000, earlyMedia: { afterMs: 70_000 } },
      ['ringing@0', 'reject@60000:480 Temporarily Unavailable/6030/zentrunk/I'],
    ],
  ];

  it.each(rows)('%s', (_name, input, expected) => {
    expect(script(input).steps.map(describeStep)).toEqual(expected);
  });

  it('answers at once without ringing when asked (the REFER engine: NOTIFY 100, then 200)', () => {
    const quiet = (input: FarEndScenarioInput) =>
      scenarioScript(farEndScenarioSchema.parse(input), DEFAULT_POLICY_SETTINGS, {
        ringBeforeImmediateAnswer: false,
      }).steps.map(describeStep);
    expect(quiet({ kind: 'answer' })).toEqual(['answer@0:echo']);
    // Later answers ring either way: the option only concerns an answer at once.
    expect(quiet({ kind: 'answer', afterMs: 3_000 })).toEqual(['ringing@0', 'answer@3000:echo']);
  });

  it('rings (180) before every built-in number that answers, unless a 183 is the alert', () => {
    for (const entry of BUILT_IN_FAR_END_NUMBERS) {
      if (entry.scenario.kind !== 'answer') continue;
      const [first] = scenarioScript(entry.scenario, DEFAULT_POLICY_SETTINGS).steps;
      const alert = entry.scenario.earlyMedia?.afterMs === 0 ? 'early-media' : 'ringing';
      expect(first, entry.name).toMatchObject({ atMs: 0, kind: alert });
    }
  });

  it('takes the ring timeout from the settings', () => {
    const result = script({ kind: 'answer', afterMs: 20_000 }, policySettings({ ringTimeoutMs: 15_000 }));
    expect(result).toMatchObject({ outcome: 'reject', ringTimeoutMs: 15_000 });
    expect(result.steps.at(-1)).toMatchObject({ kind: 'reject', atMs: 15_000, status: 480 });
  });

  it('names the far-end rule a rejection rests on', () => {
    expect(script({ kind: 'reject', status: 486 }).steps[0]).toMatchObject({
      rule: { ruleId: 'far-end.carrier-486', section: '§4.3', grade: 'O' },
    });
    expect(script({ kind: 'no-answer' }).steps.at(-1)).toMatchObject({
      rule: { ruleId: 'far-end.ring-timeout', section: '§4.3, §20', grade: 'I' },
    });
  });

  it('scripts every built-in number, ending each with its documented outcome', () => {
    for (const entry of BUILT_IN_FAR_END_NUMBERS) {
      const { steps, outcome } = scenarioScript(entry.scenario, DEFAULT_POLICY_SETTINGS);
      const times = steps.map((s) => s.atMs);
      expect(times, entry.name).toEqual([...times].sort((a, b) => a - b));
      const codes = steps.flatMap((s) => (s.kind === 'reject' || s.kind === 'hangup' ? [s.cause.code] : []));
      for (const code of codes) expect(entry.description, entry.name).toContain(String(code));
      expect(outcome).toBe(entry.scenario.kind === 'answer' ? 'answer' : 'reject');
    }
  });
});
