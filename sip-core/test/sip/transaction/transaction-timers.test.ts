import { describe, expect, it } from 'vitest';
import {
  DEFAULT_TRANSACTION_TIMERS,
  resolveTransactionTimers,
  timerDMs,
  timerJMs,
  timerT4WaitMs,
  transactionTimeoutMs,
} from '../../../src/sip/transaction/index.js';

describe('transaction timer values (RFC 3261 Table 4, RFC 6026 §8.11)', () => {
  const timers = DEFAULT_TRANSACTION_TIMERS;

  it.each([
    ['B/F/H/L/M = 64·T1', transactionTimeoutMs(timers), 32_000],
    ['D on UDP', timerDMs(timers, false), 32_000],
    ['D on TCP/TLS', timerDMs(timers, true), 0],
    ['I/K on UDP = T4', timerT4WaitMs(timers, false), 5_000],
    ['I/K on TCP/TLS', timerT4WaitMs(timers, true), 0],
    ['J on UDP = 64·T1', timerJMs(timers, false), 32_000],
    ['J on TCP/TLS', timerJMs(timers, true), 0],
  ])('%s', (_name, actual, expected) => {
    expect(actual).toBe(expected);
  });

  it('scales with a configured T1; D never drops below 32 s on UDP', () => {
    expect(transactionTimeoutMs(resolveTransactionTimers({ t1Ms: 100 }))).toBe(6_400);
    expect(timerDMs(resolveTransactionTimers({ t1Ms: 100 }), false)).toBe(32_000);
    expect(timerDMs(resolveTransactionTimers({ t1Ms: 1_000, t2Ms: 8_000 }), false)).toBe(64_000);
  });

  it.each([{ t1Ms: 0 }, { t2Ms: -1 }, { t4Ms: Number.NaN }, { t1Ms: 5_000, t2Ms: 4_000 }])(
    'refuses %o',
    (settings) => {
      expect(() => resolveTransactionTimers(settings)).toThrow(RangeError);
    },
  );
});
