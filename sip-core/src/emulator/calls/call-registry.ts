// The live calls of an emulator: every call by its call_uuid (for stop and for REFER's Replaces), every dialog by
// its RFC 3261 §12 id (for in-dialog requests and ACKs), pending INVITE server transactions (for CANCEL), and the
// INVITEs the emulator sent (for 2xx retransmissions after their transaction ended). Entries go when the call
// ends, so an idle emulator holds nothing.

import { TimedFifo } from '../../common/timed-fifo.js';
import { CellMap } from '../cell-map.js';
import type { SipRequest, SipResponse } from '../../sip/message/index.js';
import { dialogIdOfIncomingRequest, dialogIdOfResponse, dialogKey } from '../../sip/dialog/index.js';
import type { InviteServerTransaction, ServerTransaction } from '../../sip/transaction/index.js';
import type { ReceivedMessageContext } from '../../sip/transport/index.js';

/** What the registry needs of a call. */
export interface LiveCall {
  readonly callUuid: string;
  /** Ends the call at once because the emulator stops (BYE, 487 or CANCEL as the state requires). */
  shutdown(): void;
}

/** A dialog the emulator is in. */
export interface DialogOwner {
  readonly callUuid: string;
  /** A request in the dialog (not ACK, not CANCEL). */
  onRequest(transaction: ServerTransaction, context: ReceivedMessageContext): void;
  /** An ACK for a 2xx the emulator sent in this dialog. */
  onAck(ack: SipRequest): void;
  /** A 2xx to an INVITE the emulator sent in this dialog, after its transaction ended (re-ACK it). */
  onStrayResponse(response: SipResponse): void;
}

export class CallRegistry {
  /** CellMaps: a plain Map's rebuilt tables keep ended calls from the young-generation collector (docs/adr/0174). */
  readonly #calls = new CellMap<string, LiveCall>();
  readonly #dialogs = new CellMap<string, DialogOwner>();
  readonly #invites = new WeakMap<InviteServerTransaction, { onCancel(): void }>();
  /** Requests the emulator sent that stop() waits for (BYEs, CANCELs), until they are answered or give up. */
  readonly #pending = new Set<Promise<void>>();
  /** Dialogs ended in the last `endedDialogMemoryMs`, by key, with the time they ended. */
  readonly #ended = new Map<string, number>();
  /**
   * The same keys in the order they ended, to forget them from the oldest: not by iterating `#ended` from its
   * front, which steps over every deleted entry (common/timed-fifo.ts, docs/adr/0167).
   */
  readonly #endedOrder = new TimedFifo<string>();
  readonly #endedMemoryMs: number;
  readonly #now: () => number;

  /**
   * `now` is the clock's monotonic time; ended dialogs are remembered for `endedDialogMemoryMs` (64·T1), so a BYE
   * that crossed ours is answered 481 without being mistaken for a stray request that deserves a CDR.
   */
  constructor(now: () => number = () => 0, endedDialogMemoryMs = 32_000) {
    this.#now = now;
    this.#endedMemoryMs = endedDialogMemoryMs;
  }

  get size(): number {
    return this.#calls.size;
  }

  get dialogCount(): number {
    return this.#dialogs.size;
  }

  addCall(call: LiveCall): void {
    this.#calls.set(call.callUuid, call);
  }

  removeCall(call: LiveCall): void {
    if (this.#calls.get(call.callUuid) === call) this.#calls.delete(call.callUuid);
  }

  calls(): LiveCall[] {
    return [...this.#calls.values()];
  }

  addDialog(key: string, owner: DialogOwner): void {
    this.#dialogs.set(key, owner);
  }

  removeDialog(key: string): void {
    if (this.#dialogs.delete(key)) this.#rememberEnded(key);
  }

  /** Whether an incoming request names a dialog that ended a moment ago. */
  recentlyEnded(request: SipRequest): boolean {
    const id = dialogIdOfIncomingRequest(request);
    return id !== undefined && this.#ended.has(dialogKey(id));
  }

  #rememberEnded(key: string): void {
    const nowMs = this.#now();
    while (nowMs - this.#endedOrder.oldestTime() >= this.#endedMemoryMs) {
      const old = this.#endedOrder.shift()!;
      // A key that ended again since is remembered from its later time.
      if (nowMs - (this.#ended.get(old) ?? -Infinity) >= this.#endedMemoryMs) this.#ended.delete(old);
    }
    this.#ended.set(key, nowMs);
    this.#endedOrder.push(key, nowMs);
  }

  /** The dialog an incoming request belongs to (local tag = its To tag). */
  dialogOfRequest(request: SipRequest): DialogOwner | undefined {
    const id = dialogIdOfIncomingRequest(request);
    return id === undefined ? undefined : this.#dialogs.get(dialogKey(id));
  }

  /** The dialog a response to our in-dialog request belongs to (local tag = its From tag). */
  dialogOfResponse(response: SipResponse): DialogOwner | undefined {
    const id = dialogIdOfResponse(response);
    return id === undefined ? undefined : this.#dialogs.get(dialogKey(id));
  }

  /**
   * The dialog a Replaces header names (RFC 3891 §3): its Call-ID and tags. The tags are matched either way
   * round: the transferor writes them from the point of view of the INVITE the transferee would send.
   */
  dialogForReplaces(callId: string, tagA: string, tagB: string): DialogOwner | undefined {
    for (const key of [
      dialogKey({ callId, localTag: tagA, remoteTag: tagB }),
      dialogKey({ callId, localTag: tagB, remoteTag: tagA }),
    ]) {
      const owner = this.#dialogs.get(key);
      if (owner) return owner;
    }
    return undefined;
  }

  /** Remembers a request in flight until it settles, so that stop() lets it leave before the sockets close. */
  trackPending(settled: Promise<void>): void {
    this.#pending.add(settled);
    void settled.then(() => this.#pending.delete(settled));
  }

  /** Requests still in flight. */
  pending(): Promise<void>[] {
    return [...this.#pending];
  }

  trackInvite(transaction: InviteServerTransaction, call: { onCancel(): void }): void {
    this.#invites.set(transaction, call);
  }

  inviteCall(transaction: InviteServerTransaction): { onCancel(): void } | undefined {
    return this.#invites.get(transaction);
  }

  /**
   * Forgets the call of an INVITE that got its final response (a CANCEL can no longer change it). Needed although
   * the map is weak: the stack keeps a transaction for 64·T1 after its 2xx (RFC 6026 Accepted state), and the entry
   * kept the whole ended call (leg, far end, dialog, scenario) alive with it — ~7,000 calls' worth of heap at
   * 1,500 calls/s, and the garbage collector's work grew with it.
   */
  untrackInvite(transaction: InviteServerTransaction): void {
    this.#invites.delete(transaction);
  }
}
