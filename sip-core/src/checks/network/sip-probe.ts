// The one SIP endpoint the network checks send through: a `SipStack` of our own (sip/stack) listening on the
// local address that faces the target, recording every message it sends and receives as evidence. OPTIONS can
// only be sent through `options()`, which waits for the rate guard first; INVITEs the checks start are never
// left to become calls: a call that reaches 180/183, or sits in 100 Trying, is CANCELled, and a 2xx that wins
// the race is ACKed and ended with BYE at once.

import { createSocket } from 'node:dgram';
import { isIP } from 'node:net';
import type { Clock } from '../../common/clock.js';
import type { TimerHandle } from '../../common/clock.js';
import { describeError } from '../../common/errors.js';
import { Dialog } from '../../sip/dialog/index.js';
import {
  createRequest,
  createResponse,
  generateTag,
  type SipRequest,
  type SipResponse,
} from '../../sip/message/index.js';
import { SipStack } from '../../sip/stack/index.js';
import type { InviteClientTransaction, NonInviteClientTransaction } from '../../sip/transaction/index.js';
import type { TraceMessageRecord } from '../../sip/trace/index.js';
import type { HostResolver, SipDestination } from '../../sip/transport/index.js';
import type { Disposable } from '../../common/disposable.js';
import type { CheckCapture } from '../capture/check-capture.js';
import type { SipEvidenceMessage, SipExchangeEvidence } from '../runner/check-definition.js';
import { formatHostAndPort, signallingAddress, type CheckTarget } from '../target/check-target.js';
import type { OptionsRateGuard } from './options-rate-guard.js';
import { bracketHost } from '../../common/host-port.js';

export interface SipProbeOptions {
  readonly target: CheckTarget;
  readonly clock: Clock;
  readonly guard: OptionsRateGuard;
  /** Resolves the target's host for SIP (the DNS check's resolver). Default: the system's. */
  readonly resolver?: HostResolver;
  /** The local address to listen on. Default: the address the OS would use to reach the target. */
  readonly localAddress?: string;
  /** RFC 3261 T1 (default 500 ms): Timer B and F are 64·T1. */
  readonly t1Ms?: number;
  /** The run's capture (`--pcap`): the probe's SIP and TLS secrets are recorded into it until it closes. */
  readonly capture?: CheckCapture;
}

/** The events both client transactions share, seen through one signature. */
interface ProbeTransaction {
  on(event: 'response', listener: (response: SipResponse) => void): unknown;
  on(event: 'timeout', listener: () => void): unknown;
  on(event: 'transportError', listener: (error: Error) => void): unknown;
}

export type ProbeResult =
  | {
      readonly kind: 'final';
      readonly response: SipResponse;
      /** From sending the request to its final response, on the probe's clock. */
      readonly rttMs: number;
      readonly provisional: readonly SipResponse[];
      /** The probe CANCELled the INVITE (it was ringing or trying). */
      readonly cancelled: boolean;
    }
  | { readonly kind: 'timeout'; readonly afterMs: number }
  | { readonly kind: 'transport-error'; readonly message: string; readonly code?: string };

/** How long an INVITE may sit in 100 Trying before the probe cancels it anyway. */
export const CANCEL_AFTER_TRYING_MS = 2_000;

export class SipProbe {
  readonly target: CheckTarget;
  readonly destination: SipDestination;
  /** The rate guard's key: one per place OPTIONS land. */
  readonly targetKey: string;
  readonly localAddress: string;
  readonly #stack: SipStack;
  readonly #clock: Clock;
  readonly #guard: OptionsRateGuard;
  #messages: SipEvidenceMessage[] = [];
  readonly #recordings: Disposable[] = [];

  private constructor(options: SipProbeOptions, stack: SipStack, localAddress: string) {
    this.target = options.target;
    if (options.capture !== undefined) {
      this.#recordings.push(
        options.capture.recordTrace(stack.trace),
        options.capture.recordTlsKeys(stack.transport),
      );
    }
    this.#stack = stack;
    this.#clock = options.clock;
    this.#guard = options.guard;
    this.localAddress = localAddress;
    const address = signallingAddress(options.target);
    this.destination = {
      transport: options.target.transport,
      host: address.host,
      port: address.port,
      ...(options.target.transport === 'tls' ? { serverName: options.target.terminationDomain } : {}),
    };
    this.targetKey = `${options.target.transport}:${formatHostAndPort(address)}`;
    stack.trace.subscribe((record) => {
      if (record.kind === 'message') this.#messages.push(evidenceOf(record));
    });
  }

  static async open(options: SipProbeOptions): Promise<SipProbe> {
    const target = options.target;
    const address = signallingAddress(target);
    const localAddress =
      options.localAddress ?? (await localAddressFacing(address.host, address.port, options.resolver));
    const stack = new SipStack({
      clock: options.clock,
      acceptability: false,
      timers: { t1Ms: options.t1Ms ?? 500 },
      transport: {
        ...(options.resolver ? { resolver: options.resolver } : {}),
        ...(target.caCertificates.length > 0 ? { tls: { ca: [...target.caCertificates] } } : {}),
      },
    });
    try {
      stack.setTransactionUser({
        // Nothing is addressed to the probe: a ping is answered, anything else belongs to no dialog of ours.
        onRequest: (transaction) => {
          const request = transaction.request;
          transaction.respond(
            createResponse(request, request.method === 'OPTIONS' ? 200 : 481, { toTag: generateTag() }),
          );
        },
      });
      if (target.transport !== 'tls')
        await stack.listen({ transport: target.transport, host: localAddress, port: 0 });
      return new SipProbe(options, stack, localAddress);
    } catch (error) {
      await stack.close();
      throw error;
    }
  }

  get clock(): Clock {
    return this.#clock;
  }

  /** `sip:<user>@<domain>` for a request to the trunk. */
  requestUri(user?: string): string {
    const domain = this.target.terminationDomain;
    return user === undefined ? `sip:${domain}` : `sip:${user}@${domain}`;
  }

  /** Our From address: the caller ID (the user Zentrunk checks, BEHAVIOUR.md §4.1) at our address. */
  fromUri(): string {
    return this.localUri(this.target.callerId ?? 'trunkline');
  }

  /** `sip:<user>@<our address>`: a From with another caller ID (the negative probes). */
  localUri(user: string): string {
    return `sip:${user}@${this.#hostForUri()}`;
  }

  contactUri(): string {
    const listener = this.#stack.transport.listeners().find((l) => l.transport === this.target.transport);
    const port = listener ? `:${listener.local.port}` : '';
    return `sip:trunkline@${this.#hostForUri()}${port};transport=${this.target.transport}`;
  }

  /** One OPTIONS ping, after waiting for the rate guard (which may take up to 15 s). */
  async options(signal: AbortSignal): Promise<ProbeResult> {
    const request = createRequest({
      method: 'OPTIONS',
      requestUri: this.requestUri(),
      from: this.fromUri(),
      to: this.requestUri(),
      contact: this.contactUri(),
      headers: [
        ['Accept', 'application/sdp'],
        ['User-Agent', 'Trunkline check'],
      ],
    });
    await this.#guard.acquire(this.targetKey, signal);
    return this.#await(this.#stack.sendRequest(request, { destination: this.destination }), signal);
  }

  /**
   * Sends an out-of-dialog request other than OPTIONS (which only `options()` sends, after the rate guard) and
   * INVITE (which only `invite()` sends, so that it cannot become a call), and waits for its final response.
   */
  request(request: SipRequest, signal: AbortSignal): Promise<ProbeResult> {
    if (request.method === 'OPTIONS' || request.method === 'INVITE') {
      throw new TypeError(`SipProbe.request cannot send ${request.method}: use options() or invite().`);
    }
    return this.#await(this.#stack.sendRequest(request, { destination: this.destination }), signal);
  }

  /** Sends an INVITE and waits for its final response, cancelling it before it can become a call. */
  invite(request: SipRequest, signal: AbortSignal): Promise<ProbeResult> {
    const transaction = this.#stack.sendInvite(request, { destination: this.destination });
    return this.#await(transaction, signal, request);
  }

  /** The messages recorded since the last call, as one exchange for the evidence. */
  takeEvidence(label: string): SipExchangeEvidence {
    const messages = this.#messages;
    this.#messages = [];
    return { label, messages };
  }

  /**
   * Closes the stack after one turn of the clock: the ACK of a final response and the BYE of a 2xx are handed
   * to the transport through a few promise steps, and closing in the same turn would drop them on the floor.
   */
  async close(): Promise<void> {
    await new Promise<void>((resolve) => this.#clock.setTimeout(resolve, 0));
    await this.#stack.close();
    for (const recording of this.#recordings.splice(0)) recording.dispose();
  }

  #await(
    sent: InviteClientTransaction | NonInviteClientTransaction,
    signal: AbortSignal,
    invite?: SipRequest,
  ): Promise<ProbeResult> {
    const transaction = sent as unknown as ProbeTransaction;
    const sentAt = this.#clock.now();
    const provisional: SipResponse[] = [];
    return new Promise<ProbeResult>((resolve) => {
      let done = false;
      let cancelled = false;
      let tryingTimer: TimerHandle | undefined;
      let ending: Promise<void> | undefined;
      let ack: SipRequest | undefined;
      const cancel = (): void => {
        if (cancelled || invite === undefined) return;
        cancelled = true;
        this.#stack.cancel(sent as InviteClientTransaction);
      };
      const finish = (result: ProbeResult): void => {
        if (done) return;
        done = true;
        this.#clock.clearTimeout(tryingTimer);
        signal.removeEventListener('abort', onAbort);
        resolve(result);
      };
      const onAbort = (): void => {
        // An INVITE is cancelled on the way out; the transaction keeps running to absorb the 487.
        cancel();
        finish({ kind: 'transport-error', message: 'aborted', code: 'CHECKS_ABORTED' });
      };
      signal.addEventListener('abort', onAbort, { once: true });
      transaction.on('response', (response: SipResponse) => {
        const status = response.statusCode;
        if (status < 200) {
          provisional.push(response);
          if (invite === undefined) return;
          if (status >= 180) cancel();
          else tryingTimer ??= this.#clock.setTimeout(cancel, CANCEL_AFTER_TRYING_MS);
          return;
        }
        const result: ProbeResult = {
          kind: 'final',
          response,
          rttMs: this.#clock.now() - sentAt,
          provisional,
          cancelled,
        };
        if (invite === undefined || status >= 300) {
          finish(result);
          return;
        }
        // A 2xx (and each retransmission of it) is ACKed; the call is ended with BYE before the result is given.
        if (ending === undefined) {
          ending = this.#endCall(invite, response, (sent) => (ack = sent)).then(() => finish(result));
        } else if (ack !== undefined)
          void this.#stack.sendAck(ack, { destination: this.destination }).catch(() => undefined);
      });
      transaction.on('timeout', () => finish({ kind: 'timeout', afterMs: this.#clock.now() - sentAt }));
      transaction.on('transportError', (error: Error) => {
        const cause = (error as { cause?: unknown }).cause;
        const code = (cause as { code?: unknown } | undefined)?.code;
        finish({
          kind: 'transport-error',
          message: describeError(cause ?? error),
          ...(typeof code === 'string' ? { code } : {}),
        });
      });
    });
  }

  /** A 2xx to a probe INVITE: ACK it (RFC 3261 §13.2.2.4) and hang up at once, so no call stays up. */
  async #endCall(
    invite: SipRequest,
    response: SipResponse,
    onAck?: (ack: SipRequest) => void,
  ): Promise<void> {
    let dialog: Dialog;
    try {
      dialog = Dialog.fromResponse(invite, response);
    } catch {
      // A 2xx without the headers a dialog needs cannot be ended politely; the trunk's timers end it.
      return;
    }
    const ack = dialog.createAck(invite);
    onAck?.(ack);
    await this.#stack.sendAck(ack, { destination: this.destination }).catch(() => undefined);
    const bye = this.#stack.sendRequest(dialog.createRequest('BYE'), { destination: this.destination });
    dialog.terminate();
    await new Promise<void>((resolve) => {
      bye.on('response', (byeResponse) => {
        if (byeResponse.statusCode >= 200) resolve();
      });
      bye.on('timeout', () => resolve());
      bye.on('transportError', () => resolve());
    });
  }

  #hostForUri(): string {
    return bracketHost(this.localAddress);
  }
}

/** The local address the OS routes to `host` from (a connected UDP socket sends nothing). */
export async function localAddressFacing(
  host: string,
  port: number,
  resolver?: HostResolver,
): Promise<string> {
  const address = isIP(host) !== 0 ? host : resolver ? (await resolver(host)).address : host;
  const family = isIP(address) === 6 ? 'udp6' : 'udp4';
  return new Promise((resolve) => {
    const socket = createSocket(family);
    const fallback = family === 'udp6' ? '::1' : '127.0.0.1';
    socket.on('error', () => {
      socket.close();
      resolve(fallback);
    });
    socket.connect(port, address, () => {
      const local = socket.address().address;
      socket.close();
      resolve(local);
    });
  });
}

const CREDENTIAL_HEADER = /^((?:proxy-)?authorization\s*:.*?response\s*=\s*)"[^"]*"/gim;

/** One traced SIP message as report evidence, with digest responses masked. */
export function evidenceOf(record: TraceMessageRecord): SipEvidenceMessage {
  const sent = record.direction === 'sent';
  // The digest response is not the password, but it can be attacked offline: evidence never carries it.
  const text = Buffer.from(record.bytes).toString('utf8').replace(CREDENTIAL_HEADER, '$1"…"');
  return {
    timestampMs: record.wallTimeMs,
    source: sent ? record.local : record.remote,
    destination: sent ? record.remote : record.local,
    transport: record.transport,
    text,
    ...(record.retransmission ? { retransmission: true } : {}),
    localEnd: sent ? 'source' : 'destination',
  };
}
