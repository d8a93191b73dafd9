// A small seeded PRNG (mulberry32) for deterministic simulated networks and noise: the same seed gives the
// same packet loss, jitter and noise on every run and machine, so a failure can be replayed.

/** Returns a function giving uniformly distributed numbers in [0, 1) from `seed`. */
export function seededRandom(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** A normally distributed number (Box–Muller) with the given mean and standard deviation. */
export function gaussian(random: () => number, mean = 0, deviation = 1): number {
  const u = Math.max(random(), Number.MIN_VALUE);
  return mean + deviation * Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * random());
}
