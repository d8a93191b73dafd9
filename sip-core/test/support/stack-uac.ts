// A minimal UAC built only from the stack's public API: it places calls (INVITE, ACK for the 2xx — re-sent on
// every retransmission of it —, BYE after a hold time) at a given rate and counts how each one ended.

import { setTimeout as sleep } from 'node:timers/promises';
import { uacInviteKey, UacInviteDialogs } from '../../src/sip/dialog/index.js';
import { createRequest, createResponse, generateTag, type SipResponse } from '../../src/sip/message/index.js';
import { SipStack, type SipStackOptions, type TransactionUser } from '../../src/sip/stack/index.js';
import type { NonInviteClientTransaction, ServerTransaction } from '../../src/sip/transaction/index.js';
import type {
  ListenerInfo,
  ListenOptions,
  SipDestination,
  SipTransportProtocol,
} from '../../src/sip/transport/index.js';
import { sdpAnswer } from './stack-uas.js';

export interface CallOutcome {
  readonly ok: boolean;
  /** Why it failed: the status, `timeout`, `transport: …`, `bye …`. */
  readonly detail: string;
}

export interface CallBatchResult {
  readonly succeeded: number;
  readonly failed: number;
  /** The distinct failure details with their counts. */
  readonly failures: Readonly<Record<string, number>>;
}

export interface StackUacCallOptions {
  /** The Request-URI, e.g. `sip:service@127.0.0.1:5060;transport=tcp`. */
  readonly uri: string;
  /** Where to send, when not where the URI points. */
  readonly destination?: SipDestination;
  /** How long the call stays up before BYE (default 0). */
  readonly holdMs?: number;
}

export class StackUac implements TransactionUser {
  readonly stack: SipStack;
  readonly listeners: ListenerInfo[] = [];
  /** 2xx retransmissions answered with a re-sent ACK, in and after the INVITE transaction. */
  reAcks = 0;
  readonly #invites = new Map<string, UacInviteDialogs>();

  private constructor(options: SipStackOptions) {
    this.stack = new SipStack({ ...options, transactionUser: this });
  }

  static async start(listen: readonly ListenOptions[], options: SipStackOptions = {}): Promise<StackUac> {
    const uac = new StackUac(options);
    for (const listenOptions of listen) uac.listeners.push(await uac.stack.listen(listenOptions));
    return uac;
  }

  onRequest(transaction: ServerTransaction): void {
    // A UAC in these tests serves nothing; anything addressed to it is answered and otherwise ignored.
    transaction.respond(createResponseFor(transaction));
  }

  onStrayResponse(response: SipResponse): void {
    const key = uacInviteKey(response);
    const invite = key === undefined ? undefined : this.#invites.get(key);
    if (invite !== undefined && invite.receive(response).kind === 'retransmission') this.reAcks++;
  }

  /** One call: INVITE → 2xx → ACK → hold → BYE → 200. */
  async call(options: StackUacCallOptions): Promise<CallOutcome> {
    const listener = this.#listenerFor(options);
    const contact = `sip:uac@${listener.local.address}:${listener.local.port};transport=${listener.transport}`;
    const invite = createRequest({
      method: 'INVITE',
      requestUri: options.uri,
      from: `sip:uac@${listener.local.address}`,
      to: options.uri.replace(/;.*$/, ''),
      contact,
      body: sdpAnswer(listener.local.address),
      contentType: 'application/sdp',
    });
    const sendOptions = options.destination ? { destination: options.destination } : {};
    const transaction = this.stack.sendInvite(invite, sendOptions);
    const dialogs = new UacInviteDialogs(invite, this.stack, {
      localTarget: undefined,
      forkPolicy: 'ack-and-bye',
    });
    this.#invites.set(dialogs.key, dialogs);
    try {
      const answered = await new Promise<CallOutcome>((resolve) => {
        transaction.on('response', (response) => {
          const outcome = dialogs.receive(response);
          if (outcome.kind === 'retransmission') this.reAcks++;
          if (outcome.kind === 'confirmed') resolve({ ok: true, detail: 'answered' });
          if (outcome.kind === 'failed') resolve({ ok: false, detail: String(response.statusCode) });
        });
        transaction.on('timeout', () => resolve({ ok: false, detail: 'timeout' }));
        transaction.on('transportError', (error) =>
          resolve({ ok: false, detail: `transport: ${error.message}` }),
        );
      });
      if (!answered.ok) return answered;
      if (options.holdMs) await sleep(options.holdMs);
      const dialog = dialogs.dialog!;
      const bye = this.stack.sendRequest(dialog.createRequest('BYE'), sendOptions);
      dialog.terminate();
      return await finalOf(bye, 'bye');
    } finally {
      // Keep the INVITE known for a while: its 2xx may still be retransmitted (lost ACK) after the call ended.
      setTimeout(() => this.#invites.delete(dialogs.key), 64 * this.stack.timers.t1Ms).unref();
    }
  }

  /** `count` calls started at `ratePerSecond`, concurrently; resolves when all have ended. */
  async runCalls(
    count: number,
    ratePerSecond: number,
    options: StackUacCallOptions,
  ): Promise<CallBatchResult> {
    const start = performance.now();
    const calls: Array<Promise<CallOutcome>> = [];
    for (let i = 0; i < count; i++) {
      const due = start + (i * 1000) / ratePerSecond;
      const wait = due - performance.now();
      if (wait > 1) await sleep(wait);
      calls.push(this.call(options).catch((error: unknown) => ({ ok: false, detail: String(error) })));
    }
    const outcomes = await Promise.all(calls);
    const failures: Record<string, number> = {};
    for (const outcome of outcomes)
      if (!outcome.ok) failures[outcome.detail] = (failures[outcome.detail] ?? 0) + 1;
    const succeeded = outcomes.filter((o) => o.ok).length;
    return { succeeded, failed: count - succeeded, failures };
  }

  close(): Promise<void> {
    return this.stack.close();
  }

  #listenerFor(options: StackUacCallOptions): ListenerInfo {
    const wanted: SipTransportProtocol =
      options.destination?.transport ??
      (/;transport=(tcp|tls)/i.exec(options.uri)?.[1]?.toLowerCase() as SipTransportProtocol | undefined) ??
      'udp';
    const listener = this.listeners.find((l) => l.transport === wanted) ?? this.listeners[0];
    if (listener === undefined) throw new Error('the test UAC has no listener');
    return listener;
  }
}

function finalOf(transaction: NonInviteClientTransaction, what: string): Promise<CallOutcome> {
  return new Promise((resolve) => {
    transaction.on('response', (response) => {
      if (response.statusCode >= 200) {
        resolve({ ok: response.statusCode < 300, detail: `${what} ${response.statusCode}` });
      }
    });
    transaction.on('timeout', () => resolve({ ok: false, detail: `${what} timeout` }));
    transaction.on('transportError', (error) =>
      resolve({ ok: false, detail: `${what} transport: ${error.message}` }),
    );
  });
}

function createResponseFor(transaction: ServerTransaction): SipResponse {
  const request = transaction.request;
  return createResponse(request, request.method === 'INVITE' ? 486 : 200, { toTag: generateTag() });
}
