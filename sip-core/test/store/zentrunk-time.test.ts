import { describe, expect, it } from 'vitest';
import {
  formatZentrunkTime,
  parseUtcDate,
  parseUtcMonth,
  parseZentrunkFilterTime,
  parseZentrunkTime,
} from '../../src/store/zentrunk-time.js';

const EXAMPLE_MS = Date.UTC(2024, 0, 15, 14, 32, 0);

describe('Zentrunk times', () => {
  it('formats UTC with seconds, truncating milliseconds, and parses it back', () => {
    expect(formatZentrunkTime(EXAMPLE_MS + 999)).toBe('2024-01-15 14:32:00');
    expect(formatZentrunkTime(Date.UTC(2024, 1, 29, 0, 0, 5))).toBe('2024-02-29 00:00:05');
    expect(parseZentrunkTime('2024-01-15 14:32:00')).toBe(EXAMPLE_MS);
  });

  it.each([
    '2024-01-15T14:32:00',
    '2024-01-15 14:32',
    '2024-01-15 14:32:00.5',
    '2023-02-29 00:00:00',
    '2024-04-31 00:00:00',
    '2024-01-15 24:00:00',
    '2024-01-15 23:60:00',
    '2024-01-15 23:59:60',
    ' 2024-01-15 14:32:00',
  ])('refuses %j as a CDR time', (text) => {
    expect(parseZentrunkTime(text)).toBeUndefined();
  });

  it.each([
    ['2024-01-15 14:32', EXAMPLE_MS],
    ['2024-01-15 14:32:00', EXAMPLE_MS],
    ['2024-01-15 14:32:00.5', EXAMPLE_MS + 500],
    ['2024-01-15 14:32:00.000001', EXAMPLE_MS + 0.001],
    ['2024-01-15 14:32:01.250000', EXAMPLE_MS + 1250],
  ])('reads the filter time %j', (text, ms) => {
    expect(parseZentrunkFilterTime(text)).toBeCloseTo(ms, 6);
  });

  it.each([
    '2024-01-15',
    '2024-01-15 14',
    '2024-01-15 14:32:00.',
    '2024-01-15 14:32:00.1234567',
    '2024-13-01 00:00',
  ])('refuses %j as a filter time', (text) => {
    expect(parseZentrunkFilterTime(text)).toBeUndefined();
  });

  it('reads dates and months in UTC', () => {
    expect(parseUtcDate('2024-02-29')).toBe(Date.UTC(2024, 1, 29));
    expect(parseUtcDate('2023-02-29')).toBeUndefined();
    expect(parseUtcMonth('2024-12')).toEqual({ startMs: Date.UTC(2024, 11, 1), endMs: Date.UTC(2025, 0, 1) });
    expect(parseUtcMonth('2024-00')).toBeUndefined();
  });
});
