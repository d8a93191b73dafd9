// Call admission for the emulator: the live counters policy's limit rules read (CPS per trunk and per account,
// calls up), the account CPS queue, and the leases of calls in progress, behind one object. The policy decides;
// this keeps count. Typical use by the call-handling layer:
//
//   const decision = evaluate(attempt, account, { ...admission.countersFor(trunkId), creditBalanceUsd }, settings);
//   allow  → admission.admit(trunkId); const lease = admission.concurrency.acquire(callUuid, 'outbound');
//   queue  → admission.queue.enqueue({ callKey: callUuid, maxWaitMs: decision.maxWaitMs,
//              onRelease: (ticket) => evaluate again with admission.countersFor(trunkId, ticket), then as above,
//              onTimeout: () => answer decision.onTimeout (503 + 5180) });
//   leg ends → lease.release()

import type { Clock } from '../../common/clock.js';
import { DEFAULT_TRUNK_CPS, type Account, type PolicyCounters } from '../../policy/index.js';
import type { EmulatorEventSink } from '../emulator-events.js';
import { AccountCpsQueue, type QueueTicket } from './account-cps-queue.js';
import { ConcurrencyCounter } from './concurrency-counter.js';
import { CpsAccounting } from './cps-accounting.js';

export interface CallAdmissionOptions {
  readonly clock: Clock;
  readonly account: Account;
  readonly events?: EmulatorEventSink;
  readonly maxQueuedCalls?: number;
}

/** The counters of `PolicyCounters` this object knows; the caller adds credit and OPTIONS-block state. */
export type AdmissionCounters = Required<
  Pick<PolicyCounters, 'trunkCallsThisSecond' | 'accountCallsThisSecond' | 'activeCalls'>
>;

export class CallAdmission {
  readonly #clock: Clock;
  readonly #cps = new CpsAccounting();
  readonly concurrency = new ConcurrencyCounter();
  readonly queue: AccountCpsQueue;
  #account: Account;

  constructor(options: CallAdmissionOptions) {
    this.#clock = options.clock;
    this.#account = options.account;
    this.queue = new AccountCpsQueue({
      clock: options.clock,
      events: options.events,
      maxQueuedCalls: options.maxQueuedCalls,
      window: {
        limit: () => this.#account.limits.account_cps,
        count: (nowMs) => this.#cps.accountCount(nowMs),
        nextExpiryMs: (nowMs) => this.#cps.nextAccountExpiryMs(nowMs),
      },
    });
  }

  /** Uses the limits of a changed account from now on (counts and waiting calls are kept). */
  setAccount(account: Account): void {
    this.#account = account;
  }

  /**
   * The account's CPS and the trunk's (§12.1: a trunk not named in `limits.trunk_cps` has 1; null: no allocation
   * of its own, the trunk draws on the account's only, docs/adr/0080).
   */
  limitsOf(trunkId: string): { readonly accountCps: number; readonly trunkCps: number | null } {
    const { account_cps, trunk_cps } = this.#account.limits;
    const allocation = trunk_cps[trunkId];
    return { accountCps: account_cps, trunkCps: allocation === undefined ? DEFAULT_TRUNK_CPS : allocation };
  }

  /**
   * Counters for evaluating a call on `trunkId` now. While calls wait in the account queue, a newcomer sees the
   * account as full, so it queues behind them (first in, first out) instead of taking the slot that frees for
   * the head; `releasing` (the ticket inside its `onRelease`) sees the true count.
   */
  countersFor(trunkId: string | undefined, releasing?: QueueTicket): AdmissionCounters {
    const nowMs = this.#clock.now();
    let accountCalls = this.#cps.accountCount(nowMs);
    const headIsReleasing = releasing !== undefined && releasing === this.queue.releasing;
    if (this.queue.length > 0 && !headIsReleasing) {
      accountCalls = Math.max(accountCalls, this.#account.limits.account_cps);
    }
    return {
      trunkCallsThisSecond: trunkId === undefined ? {} : { [trunkId]: this.#cps.trunkCount(trunkId, nowMs) },
      accountCallsThisSecond: accountCalls,
      activeCalls: this.concurrency.active,
    };
  }

  /** Counts an outbound call the policy allowed: it takes a CPS slot of its trunk and of the account. */
  admit(trunkId: string): void {
    this.#cps.record(trunkId, this.#clock.now());
  }

  dispose(): void {
    this.queue.dispose();
  }
}
