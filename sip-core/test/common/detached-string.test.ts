import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { describe, expect, it } from 'vitest';
import { detachString } from '../../src/common/detached-string.js';

setFlagsFromString('--expose-gc');
const gc = runInNewContext('gc') as () => void;

const PARENTS = 200;
const PARENT_CHARS = 64 * 1024;

/** Heap growth while keeping one 40-character substring of each of PARENTS large, otherwise dropped strings. */
function heapKeptBy(keep: (slice: string) => string): { growthBytes: number; kept: string[] } {
  gc();
  const before = process.memoryUsage().heapUsed;
  const kept: string[] = [];
  for (let i = 0; i < PARENTS; i++) {
    // A fresh parent each time (not a constant the compiler could share): a message text read off the wire.
    const parent = `Call-ID: ${i}-${'x'.repeat(40)}\r\n`.padEnd(PARENT_CHARS, String(i % 10));
    kept.push(keep(parent.slice(9, 49)));
  }
  gc();
  return { growthBytes: process.memoryUsage().heapUsed - before, kept };
}

describe('detachString', () => {
  it('returns an equal string', () => {
    for (const text of ['', 'a', 'z9hG4bK-short', 'a'.repeat(100), 'Zoë ☎ 電話 — ünïcode'])
      expect(detachString(text)).toBe(text);
  });

  it('keeps a copy of just the text: a flat string, with no slice header or spare parent', () => {
    const count = 20_000;
    gc();
    const before = process.memoryUsage().heapUsed;
    const kept: string[] = [];
    for (let i = 0; i < count; i++) kept.push(detachString(`${i}`.padStart(40, 'k')));
    gc();
    const perString = (process.memoryUsage().heapUsed - before) / count;
    expect(kept[123]).toBe('123'.padStart(40, 'k'));
    // A flat one-byte string of 40 characters is 56 bytes, plus its 8-byte slot in `kept`; a slice of a private
    // parent (the older way) is 32 + 64 bytes.
    expect(perString).toBeLessThan(80);
  });

  it('copies a string with a lone surrogate exactly', () => {
    const text = `tag-${String.fromCharCode(0xd800)}-`.repeat(3);
    expect(detachString(text)).toBe(text);
  });

  it('keeps none of the parent alive, where a plain slice keeps all of it (the control)', () => {
    const sliced = heapKeptBy((slice) => slice);
    const detached = heapKeptBy(detachString);
    expect(detached.kept[7]).toBe(sliced.kept[7]);
    // The control: slices pin their parents (V8's sliced strings), about PARENTS × PARENT_CHARS bytes.
    expect(sliced.growthBytes).toBeGreaterThan((PARENTS * PARENT_CHARS) / 2);
    expect(detached.growthBytes).toBeLessThan((PARENTS * PARENT_CHARS) / 20);
  });
});
