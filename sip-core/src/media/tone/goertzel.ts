// The Goertzel algorithm: the power of one frequency in a block of samples, for a handful of frequencies
// far cheaper than an FFT. The coefficient is computed for the exact frequency (the "generalized" form), not
// rounded to an FFT bin, so DTMF frequencies that fall between bins of a 102-sample block are measured
// without scalloping loss.

/**
 * The mean square of the component at `frequencyHz` in `samples[start … start+length)`: for a sine of
 * amplitude A at that frequency, A²/2 (its power), whatever the block length.
 */
export function goertzelMeanSquare(
  samples: ArrayLike<number>,
  start: number,
  length: number,
  frequencyHz: number,
  sampleRateHz: number,
): number {
  const coefficient = 2 * Math.cos((2 * Math.PI * frequencyHz) / sampleRateHz);
  let previous = 0;
  let beforePrevious = 0;
  const end = start + length;
  for (let i = start; i < end; i++) {
    const current = (samples[i] ?? 0) + coefficient * previous - beforePrevious;
    beforePrevious = previous;
    previous = current;
  }
  const magnitudeSquared =
    previous * previous + beforePrevious * beforePrevious - coefficient * previous * beforePrevious;
  // |X(f)| of a sine of amplitude A over N samples is A·N/2, so 2|X|²/N² = A²/2.
  return (2 * magnitudeSquared) / (length * length);
}
