import { describe, expect, it } from 'vitest';
import { assessOptionsRate, pruneOptionsHistory } from '../../../src/policy/options/options-rate.js';
import { policySettings } from '../../../src/policy/settings/policy-settings.js';

/** Ping times every `stepMs` from 0 to `untilMs` inclusive. */
const every = (stepMs: number, untilMs: number) =>
  Array.from({ length: Math.floor(untilMs / stepMs) + 1 }, (_, i) => i * stepMs);

describe('OPTIONS rate policy (§11, §20)', () => {
  it.each([
    ['one ping', [0], 0, 'ok'],
    ['one ping per 15 s', every(15_000, 120_000), 120_000, 'ok'],
    ['one ping per 10 s exactly', every(10_000, 120_000), 120_000, 'ok'],
    ['two pings 9 s apart', [0, 9_000], 9_000, 'warn'],
    ['one ping per 6 s for 2 minutes (over 1/10 s, under 1/5 s)', every(6_000, 120_000), 120_000, 'warn'],
    ['one ping per 4 s for 56 s', every(4_000, 56_000), 56_000, 'warn'],
    ['one ping per 4 s for 60 s', every(4_000, 60_000), 60_000, 'blocked'],
    ['a burst after a quiet hour', [0, 3_600_000, 3_601_000], 3_601_000, 'warn'],
  ])('%s → %s', (_name, history, now, level) => {
    expect(assessOptionsRate(history, now, undefined).level).toBe(level);
  });

  it('blocks for 5 minutes and keeps blocking until then', () => {
    const first = assessOptionsRate(every(4_000, 60_000), 60_000, undefined);
    expect(first).toMatchObject({ level: 'blocked', blockedUntilMs: 360_000 });
    expect(first.reason).toMatch(/blocked for 300 s/);
    expect(assessOptionsRate([200_000], 200_000, first.blockedUntilMs)).toMatchObject({
      level: 'blocked',
      blockedUntilMs: 360_000,
    });
    expect(assessOptionsRate([360_000], 360_000, first.blockedUntilMs).level).toBe('ok');
  });

  it('warns instead of blocking when blocking is off', () => {
    const settings = policySettings({ optionsRate: { blocking: false } });
    expect(assessOptionsRate(every(1_000, 90_000), 90_000, undefined, settings)).toMatchObject({
      level: 'warn',
      blockedUntilMs: undefined,
    });
    expect(assessOptionsRate([0], 0, 999_999, settings).level).toBe('ok');
  });

  it('takes configured limits', () => {
    const settings = policySettings({
      optionsRate: { blockIntervalMs: 2_000, blockSustainMs: 10_000, blockDurationMs: 1_000 },
    });
    expect(assessOptionsRate(every(1_000, 10_000), 10_000, undefined, settings)).toMatchObject({
      level: 'blocked',
      blockedUntilMs: 11_000,
    });
    expect(assessOptionsRate(every(4_000, 60_000), 60_000, undefined, settings).level).toBe('warn');
  });

  it('ignores pings after "now" and prunes history without changing the verdict', () => {
    expect(assessOptionsRate([0, 100_000], 50_000, undefined).level).toBe('ok');
    const history = [...every(60_000, 600_000), ...every(4_000, 60_000).map((t) => t + 600_000)];
    const pruned = pruneOptionsHistory(history, 660_000);
    expect(pruned.length).toBeLessThan(history.length);
    expect(assessOptionsRate(pruned, 660_000, undefined)).toEqual(
      assessOptionsRate(history, 660_000, undefined),
    );
  });
});
