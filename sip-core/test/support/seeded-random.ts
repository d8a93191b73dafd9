// Deterministic randomness for tests: the media layer's seeded PRNG (mulberry32, media/impairment/seeded-random.ts)
// for simulated networks, noise, property and fuzz tests, plus the shapes tests need. The same seed gives the same
// loss, jitter, noise, mutation or key on every run and machine, so a failure can be replayed.

import { SeededRandom } from '../../src/media/impairment/seeded-random.js';

export { SeededRandom };

/** Returns a function giving uniformly distributed numbers in [0, 1) from `seed`. */
export function seededRandom(seed: number): () => number {
  const random = new SeededRandom(seed);
  return () => random.next();
}

/**
 * A repeatable stand-in for crypto.randomBytes (SDES keys, identifiers) from `seed`; production code always gets
 * real randomness.
 */
export function seededBytes(seed: number): (size: number) => Buffer {
  const random = new SeededRandom(seed);
  return (size) => random.bytes(size);
}

/** A normally distributed number (Box–Muller) with the given mean and standard deviation. */
export function gaussian(random: () => number, mean = 0, deviation = 1): number {
  const u = Math.max(random(), Number.MIN_VALUE);
  return mean + deviation * Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * random());
}
