import { describe, expect, it } from 'vitest';
import { newCallUuid } from '../../../src/emulator/calls/call-uuid.js';
import { UUID_V7 } from '../../support/uuid-v7.js';

function timeMs(uuid: string): number {
  return Number.parseInt(uuid.slice(0, 8) + uuid.slice(9, 13), 16);
}

function counter(uuid: string): number {
  return Number.parseInt(uuid.slice(15, 18), 16);
}

// The sequence is one per process (per test file under vitest's isolation): each test uses times later than
// the one before it, except where it steps the clock back on purpose.
const BASE_MS = Date.UTC(2026, 10, 29, 10, 0, 0);

describe('newCallUuid (RFC 9562 UUIDv7, docs/adr/0172)', () => {
  it('is a version 7 UUID carrying the call’s millisecond', () => {
    const uuid = newCallUuid(BASE_MS + 0.7);
    expect(uuid).toMatch(UUID_V7);
    expect(timeMs(uuid)).toBe(BASE_MS);
    expect(timeMs(newCallUuid(BASE_MS + 1_000))).toBe(BASE_MS + 1_000);
  });

  it('starts each millisecond’s counter low enough to count up from it', () => {
    for (let i = 0; i < 200; i++) expect(counter(newCallUuid(BASE_MS + 2_000 + i))).toBeLessThan(0x800);
  });

  it('increases within one millisecond, and carries the time forward once the counter is spent', () => {
    const ms = BASE_MS + 10_000;
    const uuids = Array.from({ length: 10_000 }, () => newCallUuid(ms));
    for (let i = 1; i < uuids.length; i++) expect(uuids[i] > uuids[i - 1]).toBe(true);
    expect(new Set(uuids).size).toBe(uuids.length);
    expect(timeMs(uuids[0])).toBe(ms);
    // At most 4,096 values per millisecond: 10,000 need at least three.
    expect(timeMs(uuids.at(-1)!)).toBeGreaterThanOrEqual(ms + 2);
    for (const uuid of uuids) expect(uuid).toMatch(UUID_V7);
  });

  it('does not go back when the clock does', () => {
    const later = newCallUuid(BASE_MS + 60_000);
    const afterStep = newCallUuid(BASE_MS + 30_000);
    expect(afterStep > later).toBe(true);
    expect(timeMs(afterStep)).toBe(BASE_MS + 60_000);
    const next = newCallUuid(BASE_MS + 60_001);
    expect(timeMs(next)).toBe(BASE_MS + 60_001);
    expect(next > afterStep).toBe(true);
  });

  it('keeps its sequence when the clock reads nonsense (NaN, before 1970)', () => {
    const before = newCallUuid(BASE_MS + 65_000);
    const fromNaN = newCallUuid(Number.NaN);
    const fromNegative = newCallUuid(-1);
    for (const uuid of [fromNaN, fromNegative]) expect(uuid).toMatch(UUID_V7);
    expect(fromNaN > before).toBe(true);
    expect(fromNegative > fromNaN).toBe(true);
    expect(timeMs(newCallUuid(BASE_MS + 65_001))).toBe(BASE_MS + 65_001);
  });

  it('keeps 62 random bits, so two calls of one millisecond elsewhere do not collide', () => {
    const ms = BASE_MS + 70_000;
    const tails = new Set(Array.from({ length: 1_000 }, () => newCallUuid(ms).slice(19)));
    expect(tails.size).toBe(1_000);
  });
});
