import { describe, expect, it } from 'vitest';
import { ManualClock } from '../../src/common/manual-clock.js';
import { BASE_EPOCH_MS, makeCdr, makeTrace } from '../support/cdr-factory.js';
import { useStores } from '../support/store-fixtures.js';

const DAY_MS = 86_400_000;

/** Call `i` ends `i` days after BASE_EPOCH_MS. */
function dailyCdr(day: number) {
  const endMs = BASE_EPOCH_MS + day * DAY_MS;
  const time = (ms: number) => new Date(ms).toISOString().slice(0, 19).replace('T', ' ');
  return makeCdr(day, { initiation_time: time(endMs - 60_000), answer_time: null, end_time: time(endMs) });
}

describe('retention', () => {
  const openStore = useStores();

  it('keeps only the newest maxCalls calls, deleting their traces too', () => {
    const store = openStore();
    for (let i = 0; i < 12_000; i += 1)
      store.recordCallEnd(makeCdr(i), i % 1000 === 0 ? makeTrace(i, 2, 50) : []);
    expect(store.purge({ maxCalls: 1000 })).toEqual({ deletedCalls: 11_000 });
    const remaining = [...store.iterateCdrs()].map((c) => c.call_uuid);
    expect(remaining).toHaveLength(1000);
    expect(remaining[0]).toBe('call-00011999');
    expect(remaining.at(-1)).toBe('call-00011000');
    expect(store.getSipTrace('call-00011000')).toHaveLength(2);
    expect(store.getSipTrace('call-00010000')).toEqual([]);
    expect(store.integrityCheck()).toEqual([]);
    expect(store.purge({ maxCalls: 1000 })).toEqual({ deletedCalls: 0 });
  });

  it('keeps calls of the last maxAgeDays by the clock, from the settings', () => {
    const clock = new ManualClock({ epochMs: BASE_EPOCH_MS + 30 * DAY_MS, startMs: 0 });
    const store = openStore({ clock, retention: { maxAgeDays: 7 } });
    for (let day = 0; day <= 30; day += 1) store.recordCallEnd(dailyCdr(day));
    // Now is day 30: days 23…30 are within 7 days (day 23 is exactly 7 days old and kept).
    expect(store.purge()).toEqual({ deletedCalls: 23 });
    expect(
      store
        .listCdrs({ limit: 100 })
        .objects.map((c) => c.call_uuid)
        .at(-1),
    ).toBe('call-00000023');
    clock.advance(2 * DAY_MS);
    expect(store.purge()).toEqual({ deletedCalls: 2 });
  });

  it('applies both limits together, and keeps everything without settings', () => {
    const clock = new ManualClock({ epochMs: BASE_EPOCH_MS + 10 * DAY_MS });
    const store = openStore({ clock });
    for (let day = 0; day <= 10; day += 1) store.recordCallEnd(dailyCdr(day));
    expect(store.purge()).toEqual({ deletedCalls: 0 });
    expect(store.purge({ maxAgeDays: 5, maxCalls: 3 })).toEqual({ deletedCalls: 8 });
    expect(store.listCdrs().objects.map((c) => c.call_uuid)).toEqual([
      'call-00000010',
      'call-00000009',
      'call-00000008',
    ]);
    expect(store.purge({ maxCalls: 0 })).toEqual({ deletedCalls: 3 });
  });
});

describe('retention settings', () => {
  const openStore = useStores();

  it.each([{ maxCalls: -1 }, { maxAgeDays: Number.NaN }, { maxAgeDays: '7' as unknown as number }])(
    'refuses %o with STORE_INVALID_SETTING',
    (retention) => {
      const store = openStore();
      store.recordCallEnd(makeCdr(1));
      expect(() => store.purge(retention)).toThrow(
        expect.objectContaining({ code: 'STORE_INVALID_SETTING' }),
      );
      expect(store.listCdrs().meta.total_count).toBe(1);
    },
  );
});
