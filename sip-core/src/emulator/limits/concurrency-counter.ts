// Calls up on the account (BEHAVIOUR.md §4.2 #8, §12.2): every leg counts, inbound, outbound and the legs a REFER
// creates (§7, grade P). A leg holds a lease from its start until it ends; releasing twice is harmless, so an
// error path cannot make the count drift below the truth.

export type CallLegKind = 'outbound' | 'inbound' | 'transfer';

export interface CallLease {
  readonly callKey: string;
  readonly kind: CallLegKind;
  /** Ends the leg's count; later calls do nothing. */
  release(): void;
}

export class ConcurrencyCounter {
  readonly #legs = new Map<string, CallLease>();
  readonly #byKind: Record<CallLegKind, number> = { outbound: 0, inbound: 0, transfer: 0 };

  /** Counts a leg; acquiring a key that is already counted returns its lease (a retransmitted INVITE). */
  acquire(callKey: string, kind: CallLegKind): CallLease {
    const existing = this.#legs.get(callKey);
    if (existing) return existing;
    const lease = new CountedLeg(callKey, kind, this.#legs, this.#byKind);
    this.#legs.set(callKey, lease);
    this.#byKind[kind]++;
    return lease;
  }

  /** Legs up now: what policy's `activeCalls` counter needs. */
  get active(): number {
    return this.#legs.size;
  }

  activeByKind(): Readonly<Record<CallLegKind, number>> {
    return { ...this.#byKind };
  }

  has(callKey: string): boolean {
    return this.#legs.has(callKey);
  }
}

/**
 * A leg's lease, held for the whole call: a class with a method on its prototype rather than an object literal
 * with a `release` closure, which would cost every live call a context and (under tsx, which keeps function names
 * by redefining `name`) a property dictionary (docs/adr/0093).
 */
class CountedLeg implements CallLease {
  readonly callKey: string;
  readonly kind: CallLegKind;
  /** The counter's tables; undefined once released, so that a second release does nothing. */
  #legs: Map<string, CallLease> | undefined;
  readonly #byKind: Record<CallLegKind, number>;

  constructor(
    callKey: string,
    kind: CallLegKind,
    legs: Map<string, CallLease>,
    byKind: Record<CallLegKind, number>,
  ) {
    this.callKey = callKey;
    this.kind = kind;
    this.#legs = legs;
    this.#byKind = byKind;
  }

  release(): void {
    if (!this.#legs) return;
    this.#legs.delete(this.callKey);
    this.#legs = undefined;
    this.#byKind[this.kind]--;
  }
}
