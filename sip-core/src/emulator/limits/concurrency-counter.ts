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
    let released = false;
    const lease: CallLease = {
      callKey,
      kind,
      release: () => {
        if (released) return;
        released = true;
        this.#legs.delete(callKey);
        this.#byKind[kind]--;
      },
    };
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
