import { describe, expect, it } from 'vitest';
import { ImpairmentModel, type ImpairmentProfile } from '../../../src/media/impairment/impairment-model.js';
import { SeededRandom } from '../../../src/media/impairment/seeded-random.js';
import { expectErrorCode } from '../../support/expect-error-code.js';

function run(profile: ImpairmentProfile, seed: number, packets: number) {
  const model = new ImpairmentModel(profile, seed);
  return Array.from({ length: packets }, () => model.decide());
}

describe('SeededRandom (mulberry32)', () => {
  it('repeats its sequence for a seed, and known answers pin the algorithm', () => {
    const a = new SeededRandom(42);
    const b = new SeededRandom(42);
    const first = Array.from({ length: 5 }, () => a.next());
    expect(Array.from({ length: 5 }, () => b.next())).toEqual(first);
    expect(new SeededRandom(1).next()).toBeCloseTo(0.6270739405881613, 15);
    expect(new SeededRandom(0).int(1000)).toBe(266);
  });
});

describe('ImpairmentModel', () => {
  it('makes the same decisions for the same seed, and others for another seed', () => {
    const profile = { lossRate: 0.1, jitterMs: 30, duplicateRate: 0.05, reorderRate: 0.05 };
    expect(run(profile, 7, 500)).toEqual(run(profile, 7, 500));
    expect(run(profile, 7, 500)).not.toEqual(run(profile, 8, 500));
  });

  it('loses about lossRate of the packets, and changing the jitter does not change which', () => {
    const lossy = run({ lossRate: 0.05 }, 3, 20_000);
    const lost = lossy.map((d) => !d.deliver);
    expect(lost.filter(Boolean).length / 20_000).toBeGreaterThan(0.045);
    expect(lost.filter(Boolean).length / 20_000).toBeLessThan(0.055);
    const jittery = run({ lossRate: 0.05, jitterMs: 40 }, 3, 20_000);
    expect(jittery.map((d) => !d.deliver)).toEqual(lost);
  });

  it('delays by delayMs plus a uniform jitter, holds reordered packets back, and duplicates', () => {
    const decisions = run(
      { delayMs: 10, jitterMs: 40, reorderRate: 0.1, reorderDelayMs: 60, duplicateRate: 0.1 },
      5,
      5000,
    );
    const delays = decisions.flatMap((d) => (d.deliver && !d.reordered ? [d.delaysMs[0]] : []));
    expect(Math.min(...delays)).toBeGreaterThanOrEqual(10);
    expect(Math.max(...delays)).toBeLessThan(50);
    const reordered = decisions.filter((d) => d.deliver && d.reordered);
    expect(reordered.length / 5000).toBeCloseTo(0.1, 1);
    for (const d of reordered) if (d.deliver) expect(d.delaysMs[0]).toBeGreaterThanOrEqual(70);
    const duplicated = decisions.filter((d) => d.deliver && d.delaysMs.length === 2);
    expect(duplicated.length / 5000).toBeCloseTo(0.1, 1);
  });

  it('loses in bursts with Gilbert-Elliott: the same average loss comes in runs', () => {
    // Steady state: P(bad) = 0.01 / (0.01 + 0.19) = 5 %, mean burst 1 / 0.19 ≈ 5 packets.
    const bursty = run({ burstLoss: { goodToBad: 0.01, badToGood: 0.19 } }, 11, 50_000).map(
      (d) => !d.deliver,
    );
    const rate = bursty.filter(Boolean).length / bursty.length;
    expect(rate).toBeGreaterThan(0.035);
    expect(rate).toBeLessThan(0.065);
    let runs = 0;
    for (let i = 0; i < bursty.length; i++) if (bursty[i] && !bursty[i - 1]) runs++;
    const meanBurst = bursty.filter(Boolean).length / runs;
    expect(meanBurst).toBeGreaterThan(4);
    expect(meanBurst).toBeLessThan(6.5);
    const random = run({ lossRate: rate }, 11, 50_000).map((d) => !d.deliver);
    let randomRuns = 0;
    for (let i = 0; i < random.length; i++) if (random[i] && !random[i - 1]) randomRuns++;
    expect(random.filter(Boolean).length / randomRuns).toBeLessThan(1.2);
  });

  it('drops everything when asked (one-way audio), and can change profile mid-stream', () => {
    const model = new ImpairmentModel({}, 1);
    expect(model.decide()).toEqual({ deliver: true, delaysMs: [0], reordered: false });
    model.setProfile({ dropAll: true });
    expect(model.decide()).toEqual({ deliver: false, reason: 'drop-all' });
  });

  it.each([
    [{ lossRate: 1.5 }, 'lossRate'],
    [{ jitterMs: -1 }, 'jitterMs'],
    [{ burstLoss: { goodToBad: 0.1, badToGood: 2 } }, 'burstLoss.badToGood'],
    [{ delayMs: Number.POSITIVE_INFINITY }, 'delayMs'],
  ] as const)('refuses %j', (profile, field) => {
    const error = expectErrorCode(() => new ImpairmentModel(profile, 1), 'IMPAIRMENT_INVALID_OPTION');
    expect(error.message).toContain(field);
  });
});
