import { createHash } from 'node:crypto';

/**
 * A repeatable stand-in for crypto.randomBytes: SHA-256 of a seed and a counter. Tests that pin SDP text or keys use
 * it; production code always gets real randomness.
 */
export function deterministicRandom(seed = 'trunkline'): (size: number) => Buffer {
  let counter = 0;
  return (size) => {
    const chunks: Buffer[] = [];
    let length = 0;
    while (length < size) {
      const chunk = createHash('sha256').update(`${seed}:${counter++}`).digest();
      chunks.push(chunk);
      length += chunk.length;
    }
    return Buffer.concat(chunks).subarray(0, size);
  };
}
