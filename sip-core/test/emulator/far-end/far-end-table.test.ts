import { describe, expect, it } from 'vitest';
import {
  BUILT_IN_FAR_END_NUMBERS,
  ECHO_NUMBER,
  FarEndTable,
  farEndTableSchema,
  parseFarEndTable,
  type FarEndTableInput,
} from '../../../src/emulator/far-end/index.js';
import { DEFAULT_POLICY_SETTINGS, evaluate } from '../../../src/policy/index.js';
import { demo, idleCounters, invite } from '../../support/policy-fixtures.js';

const table = (input: FarEndTableInput) => new FarEndTable(farEndTableSchema.parse(input));

describe('the far-end lookup', () => {
  const custom = table({
    numbers: [
      { number: '+442079460001', name: 'uk-busy', scenario: { kind: 'reject', status: 486 } },
      { prefix: '+44', name: 'uk', scenario: { kind: 'answer', afterMs: 1_000 } },
      { prefix: '+4420', name: 'london', scenario: { kind: 'no-answer' } },
      { number: '14155550186', name: 'not-busy-anymore', scenario: { kind: 'answer' } },
    ],
  });

  it.each([
    ['+442079460001', 'uk-busy', 'number'],
    ['+442079460002', 'london', 'prefix'],
    ['+441612345678', 'uk', 'prefix'],
    [ECHO_NUMBER, 'echo', 'number'],
    ['14155550111', 'echo', 'number'],
    ['+14155550186', 'not-busy-anymore', 'number'],
    ['+12025550123', 'default', 'default'],
  ])('%s → %s (by %s)', (destination, name, matchedBy) => {
    const match = custom.lookup(destination);
    expect({ name: match.name, matchedBy: match.matchedBy }).toEqual({ name, matchedBy });
  });

  it('answers every other destination at once with echo by default', () => {
    expect(FarEndTable.builtIn().lookup('+33142685300').scenario).toMatchObject({
      kind: 'answer',
      afterMs: 0,
      media: { kind: 'echo' },
      earlyMedia: null,
    });
  });

  it('leaves the built-in numbers out when asked', () => {
    const bare = table({ builtInNumbers: false, default: { kind: 'reject', status: 404 } });
    expect(bare.entries).toEqual([]);
    expect(bare.lookup(ECHO_NUMBER)).toMatchObject({ matchedBy: 'default', scenario: { kind: 'reject' } });
  });

  it('has a distinct number and name for each built-in, and every one is a destination the demo account allows', () => {
    const numbers = BUILT_IN_FAR_END_NUMBERS.map((e) => e.number);
    expect(new Set(numbers).size).toBe(numbers.length);
    expect(new Set(BUILT_IN_FAR_END_NUMBERS.map((e) => e.name)).size).toBe(numbers.length);
    const owned = new Set(demo.numbers.map((n) => n.number));
    for (const number of numbers) {
      expect(owned.has(number ?? ''), `${number} is an account number`).toBe(false);
      const decision = evaluate(
        invite({ requestUri: { user: number ?? '' } }),
        demo,
        idleCounters(),
        DEFAULT_POLICY_SETTINGS,
      );
      expect(decision.kind, `${number}`).toBe('allow');
    }
  });
});

describe('the far-end table schema', () => {
  it('reports every problem with its path', () => {
    const result = parseFarEndTable({
      numbers: [
        { number: '12', name: 'x', scenario: { kind: 'answer' } },
        { prefix: '44', name: 'Bad Name', scenario: { kind: 'reject', status: 200 } },
        { number: '+14155550199', prefix: '+1', name: 'both', scenario: { kind: 'answer' } },
        { number: '+14155550198', name: 'a', scenario: { kind: 'answer', dtmf: { digits: '12x' } } },
        { number: '+14155550198', name: 'b', scenario: { kind: 'answer' } },
        {
          number: '+14155550197',
          name: 'c',
          scenario: { kind: 'answer', afterMs: 1_000, earlyMedia: { afterMs: 2_000 } },
        },
        { number: '+14155550196', name: 'd', scenario: { kind: 'dance' } },
      ],
    });
    expect(result.ok).toBe(false);
    const paths = result.ok ? [] : result.issues.map((i) => i.path).sort();
    expect(paths).toEqual(
      [
        'numbers[0].number',
        'numbers[1].prefix',
        'numbers[1].name',
        'numbers[1].scenario.status',
        'numbers[2].number',
        'numbers[3].scenario.dtmf.digits',
        'numbers[4].number',
        'numbers[5].scenario.earlyMedia.afterMs',
        'numbers[6].scenario.kind',
      ].sort(),
    );
  });
});
