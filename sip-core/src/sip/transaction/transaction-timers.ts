// The timer values of RFC 3261 §17 (Table 4 of Appendix A) and RFC 6026 §8.11, derived from T1, T2 and T4.
// Transactions read them from here so that one place says which timers shrink to zero on reliable transports
// (§17.1.1.2, §17.1.2.2, §17.2.1, §17.2.2) and which never run there (A, E, G: retransmissions are the
// transport's job on TCP and TLS).

/** The three base intervals. RFC 3261 §17.1.1.1: T1 is an RTT estimate, T2 caps non-INVITE retransmissions. */
export interface TransactionTimerSettings {
  /** RTT estimate; every retransmission interval and every 64·T1 timeout derives from it. Default 500 ms. */
  readonly t1Ms: number;
  /** The largest interval between non-INVITE request and INVITE final-response retransmissions. Default 4 s. */
  readonly t2Ms: number;
  /** How long a message may live in the network (Timers I and K). Default 5 s. */
  readonly t4Ms: number;
}

export const DEFAULT_TRANSACTION_TIMERS: TransactionTimerSettings = Object.freeze({
  t1Ms: 500,
  t2Ms: 4_000,
  t4Ms: 5_000,
});

/** Fills in defaults and refuses values that would make timers fire backwards or never stop. */
export function resolveTransactionTimers(
  settings: Partial<TransactionTimerSettings> = {},
): TransactionTimerSettings {
  const resolved = { ...DEFAULT_TRANSACTION_TIMERS, ...settings };
  for (const [name, value] of Object.entries(resolved)) {
    if (!Number.isFinite(value) || value <= 0) {
      throw new RangeError(`The SIP timer ${name} must be a positive number of milliseconds.`);
    }
  }
  if (resolved.t2Ms < resolved.t1Ms) throw new RangeError('The SIP timer T2 must not be shorter than T1.');
  return Object.freeze(resolved);
}

/** 64·T1: Timers B, F, H and J (unreliable), L and M (RFC 6026), and the UAS 2xx give-up (§13.3.1.4). */
export function transactionTimeoutMs(timers: TransactionTimerSettings): number {
  return 64 * timers.t1Ms;
}

/**
 * Timer D, how long the INVITE client transaction waits in Completed for retransmitted final responses: RFC 3261
 * asks for at least 32 s on unreliable transports, which is 64·T1 at the default T1. It scales with T1 so that it
 * always covers the server's Timer H window, in which those retransmissions can arrive.
 */
export function timerDMs(timers: TransactionTimerSettings, reliable: boolean): number {
  return reliable ? 0 : Math.max(32_000, transactionTimeoutMs(timers));
}

/** Timers I and K: T4 on unreliable transports, zero on reliable ones (no retransmission can arrive). */
export function timerT4WaitMs(timers: TransactionTimerSettings, reliable: boolean): number {
  return reliable ? 0 : timers.t4Ms;
}

/** Timer J: 64·T1 on unreliable transports, zero on reliable ones. */
export function timerJMs(timers: TransactionTimerSettings, reliable: boolean): number {
  return reliable ? 0 : transactionTimeoutMs(timers);
}
