// A minimal UAS built only from the stack's public API (sip/stack, sip/dialog, sip/message): it answers every
// INVITE with 180 and 200 (with an SDP answer), keeps the 200 alive until the ACK (RFC 3261 §13.3.1.4), answers
// BYE, OPTIONS and CANCEL, and counts what happened so that interop tests can assert on it.

import {
  Dialog,
  dialogIdOfIncomingRequest,
  dialogKey,
  Uas2xxRetransmitter,
} from '../../src/sip/dialog/index.js';
import { createResponse, generateTag, type SipRequest } from '../../src/sip/message/index.js';
import { SipStack, type SipStackOptions, type TransactionUser } from '../../src/sip/stack/index.js';
import type { InviteServerTransaction, ServerTransaction } from '../../src/sip/transaction/index.js';
import type { ListenerInfo, ListenOptions, ReceivedMessageContext } from '../../src/sip/transport/index.js';

/** A PCMU answer: enough for SIPp and baresip to consider the call established. */
export function sdpAnswer(address = '127.0.0.1', port = 40_000): string {
  return [
    'v=0',
    `o=trunkline 1 1 IN IP4 ${address}`,
    's=-',
    `c=IN IP4 ${address}`,
    't=0 0',
    `m=audio ${port} RTP/AVP 0 101`,
    'a=rtpmap:0 PCMU/8000',
    'a=rtpmap:101 telephone-event/8000',
    'a=sendrecv',
    '',
  ].join('\r\n');
}

export interface StackUasCounters {
  invites: number;
  answered: number;
  acks: number;
  byes: number;
  cancels: number;
  options: number;
  /** Requests or ACKs that belonged to no dialog we know. */
  unexpected: number;
  /** 200s whose ACK never came (64·T1). */
  ackTimeouts: number;
}

export interface StackUasOptions {
  readonly stack?: SipStackOptions;
  /** Send 180 Ringing before the 200 (default true). */
  readonly ringing?: boolean;
  /** The final status for new INVITEs (default 200). */
  readonly finalStatus?: number;
  /** Extra headers on a final error response (e.g. `X-ZT-Hangup-Code` and `Reason`, as Zentrunk sends them). */
  readonly finalHeaders?: ReadonlyArray<readonly [string, string]>;
}

interface UasCall {
  readonly dialog: Dialog;
  readonly retransmitter: Uas2xxRetransmitter;
}

export class StackUas implements TransactionUser {
  readonly stack: SipStack;
  readonly counters: StackUasCounters = {
    invites: 0,
    answered: 0,
    acks: 0,
    byes: 0,
    cancels: 0,
    options: 0,
    unexpected: 0,
    ackTimeouts: 0,
  };
  readonly listeners: ListenerInfo[] = [];
  readonly #options: StackUasOptions;
  readonly #calls = new Map<string, UasCall>();

  private constructor(options: StackUasOptions) {
    this.#options = options;
    this.stack = new SipStack({ ...options.stack, transactionUser: this });
  }

  static async start(listen: readonly ListenOptions[], options: StackUasOptions = {}): Promise<StackUas> {
    const uas = new StackUas(options);
    for (const listenOptions of listen) uas.listeners.push(await uas.stack.listen(listenOptions));
    return uas;
  }

  /** The first listener of `transport`. */
  listener(transport: ListenerInfo['transport']): ListenerInfo {
    const found = this.listeners.find((l) => l.transport === transport);
    if (found === undefined) throw new Error(`the test UAS has no ${transport} listener`);
    return found;
  }

  get activeCalls(): number {
    return this.#calls.size;
  }

  onRequest(transaction: ServerTransaction, context: ReceivedMessageContext): void {
    const request = transaction.request;
    switch (request.method) {
      case 'INVITE':
        this.#onInvite(transaction as InviteServerTransaction, context);
        return;
      case 'BYE':
        this.#onBye(transaction, request);
        return;
      case 'OPTIONS':
        this.counters.options++;
        transaction.respond(createResponse(request, 200, { toTag: generateTag() }));
        return;
      default:
        this.counters.unexpected++;
        transaction.respond(createResponse(request, 501, { toTag: generateTag() }));
    }
  }

  onAck(ack: SipRequest): void {
    const id = dialogIdOfIncomingRequest(ack);
    const call = id === undefined ? undefined : this.#calls.get(dialogKey(id));
    if (call === undefined) {
      this.counters.unexpected++;
      return;
    }
    if (call.retransmitter.ackReceived()) this.counters.acks++;
  }

  onCancel(invite: InviteServerTransaction): void {
    this.counters.cancels++;
    invite.respond(createResponse(invite.request, 487, { toTag: generateTag() }));
  }

  close(): Promise<void> {
    for (const call of this.#calls.values()) call.retransmitter.dispose();
    this.#calls.clear();
    return this.stack.close();
  }

  #onInvite(transaction: InviteServerTransaction, context: ReceivedMessageContext): void {
    const request = transaction.request;
    this.counters.invites++;
    const toTag = generateTag();
    if (this.#options.ringing !== false) transaction.respond(createResponse(request, 180, { toTag }));
    const finalStatus = this.#options.finalStatus ?? 200;
    if (finalStatus >= 300) {
      const headers = (this.#options.finalHeaders ?? []).map(([name, value]): [string, string] => [
        name,
        value,
      ]);
      transaction.respond(createResponse(request, finalStatus, { toTag, headers }));
      return;
    }
    const { address, port } = context.local;
    const contact = `<sip:uas@${address}:${port};transport=${context.transport}>`;
    const response = createResponse(request, 200, {
      toTag,
      headers: [['Contact', contact]],
      body: sdpAnswer(address),
      contentType: 'application/sdp',
    });
    transaction.respond(response);
    this.counters.answered++;
    const dialog = Dialog.fromRequest(request, response);
    const retransmitter = new Uas2xxRetransmitter({
      clock: this.stack.clock,
      timers: this.stack.timers,
      reliable: context.transport !== 'udp',
      resend: () => {
        if (!transaction.isTerminated) transaction.respond(response);
        else void this.stack.sendResponse(response, context, true).catch(() => undefined);
      },
    });
    retransmitter.on('timeout', () => {
      this.counters.ackTimeouts++;
      this.#calls.delete(dialog.key);
    });
    this.#calls.set(dialog.key, { dialog, retransmitter });
  }

  #onBye(transaction: ServerTransaction, request: SipRequest): void {
    const id = dialogIdOfIncomingRequest(request);
    const call = id === undefined ? undefined : this.#calls.get(dialogKey(id));
    if (call === undefined) {
      this.counters.unexpected++;
      transaction.respond(createResponse(request, 481));
      return;
    }
    call.dialog.receiveRequest(request);
    // A BYE also ends the wait for an ACK that was lost for good (RFC 3261 §15.1.2).
    call.retransmitter.dispose();
    this.#calls.delete(call.dialog.key);
    this.counters.byes++;
    transaction.respond(createResponse(request, 200));
  }
}
