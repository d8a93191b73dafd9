// Arrange helpers for transaction and dialog tests: a channel that records what a transaction sends (and can be
// told to fail), an environment on a ManualClock, and requests/responses built with the real message model.

import { ManualClock } from '../../src/common/manual-clock.js';
import {
  createRequest,
  createResponse,
  parseSipMessage,
  serializeSipMessage,
  type SipRequest,
  type SipResponse,
} from '../../src/sip/message/index.js';
import {
  DEFAULT_TRANSACTION_TIMERS,
  ExpiryQueue,
  type TransactionChannel,
  type TransactionEnvironment,
} from '../../src/sip/transaction/index.js';

export interface SentMessage {
  readonly message: SipRequest | SipResponse;
  /** The bytes as handed to the channel (the same object). */
  readonly bytes: Uint8Array;
  readonly retransmission: boolean;
  /** Clock time of the send. */
  readonly atMs: number;
}

export class RecordingChannel implements TransactionChannel {
  readonly sent: SentMessage[] = [];
  /** When set, every send fails with this error. */
  failWith: Error | undefined;

  constructor(
    readonly reliable: boolean,
    private readonly clock: ManualClock,
  ) {}

  serialize(message: SipRequest | SipResponse): Uint8Array {
    return serializeSipMessage(message);
  }

  send(bytes: Uint8Array, retransmission: boolean, onFailure: (error: unknown) => void): void {
    this.sent.push({ message: parseSipMessage(bytes), bytes, retransmission, atMs: this.clock.now() });
    const failure = this.failWith;
    // As the real transport does: the failure arrives after `send` has returned.
    if (failure !== undefined) queueMicrotask(() => onFailure(failure));
  }

  /** The clock times of the sends that were retransmissions. */
  get retransmissionTimes(): number[] {
    return this.sent.filter((s) => s.retransmission).map((s) => s.atMs);
  }

  /** Start lines of everything sent, e.g. `INVITE sip:…` or `SIP/2.0 180 Ringing`. */
  get startLines(): string[] {
    return this.sent.map((s) => s.message.startLine);
  }
}

export interface TransactionRig {
  readonly clock: ManualClock;
  readonly environment: TransactionEnvironment;
  readonly channel: RecordingChannel;
}

export function transactionRig(reliable: boolean): TransactionRig {
  const clock = new ManualClock();
  return {
    clock,
    environment: { clock, timers: DEFAULT_TRANSACTION_TIMERS, expiries: new ExpiryQueue(clock) },
    channel: new RecordingChannel(reliable, clock),
  };
}

/** A request as a UAC would send it (with its Via), e.g. `testRequest('INVITE')`. */
export function testRequest(
  method: string,
  options: { branch?: string; transport?: string } = {},
): SipRequest {
  return createRequest({
    method,
    requestUri: 'sip:bob@192.0.2.20:5060',
    from: 'sip:alice@192.0.2.10',
    to: 'sip:bob@192.0.2.20',
    callId: 'call-1@192.0.2.10',
    cseq: 1,
    contact: 'sip:alice@192.0.2.10:5060',
    via: {
      transport: options.transport ?? 'UDP',
      host: '192.0.2.10',
      port: 5060,
      branch: options.branch ?? 'z9hG4bK-test-1',
      rport: null,
    },
  });
}

/** A response to `request` with a To tag (except 100). */
export function testResponse(request: SipRequest, status: number, toTag = 'uas-tag'): SipResponse {
  return createResponse(request, status, status === 100 ? {} : { toTag });
}
