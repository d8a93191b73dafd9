import { type Socket, createSocket } from 'node:dgram';
import { setTimeout as sleep } from 'node:timers/promises';
import {
  NameAddr,
  type SipRequest,
  type SipResponse,
  createRequest,
  createResponse,
  generateTag,
  parseSipMessage,
  serializeSipMessage,
} from '../../src/sip/message/index.js';

// Just enough SIP over UDP to set up one call with a real peer from a media interop test, built on the real message
// model (sip/message): a caller (INVITE with our offer, ACK on the 2xx, BYE at the end) and an answerer (200 with our
// answer to the peer's INVITE, retransmitted until the ACK, 200 to its BYE). No transactions, no timers beyond the
// 2xx retransmission, no authentication: the SIP stack proper (sip/transaction, sip/stack) is another slice, and media
// interop must neither wait for it nor depend on it.

interface Endpoint {
  readonly socket: Socket;
  readonly host: string;
  readonly port: number;
}

async function openEndpoint(port = 0): Promise<Endpoint> {
  const socket = createSocket('udp4');
  await new Promise<void>((resolve, reject) => {
    socket.once('error', reject);
    socket.bind(port, '127.0.0.1', () => {
      socket.off('error', reject);
      resolve();
    });
  });
  return { socket, host: '127.0.0.1', port: socket.address().port };
}

function send(
  endpoint: Endpoint,
  message: SipRequest | SipResponse,
  to: { host: string; port: number },
): void {
  endpoint.socket.send(serializeSipMessage(message), to.port, to.host);
}

/** Parses a datagram; anything unparseable is ignored (a harness, not a conformance test). */
function parse(data: Buffer): SipRequest | SipResponse | undefined {
  try {
    return parseSipMessage(data, { framing: 'datagram' });
  } catch {
    return undefined;
  }
}

/** Waits until `find` returns something, polling the messages collected so far. */
async function waitUntil<T>(find: () => T | undefined, what: string, timeoutMs: number): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const found = find();
    if (found !== undefined) return found;
    if (Date.now() > deadline) throw new Error(`no ${what} within ${timeoutMs} ms`);
    await sleep(10);
  }
}

/** Places one call: INVITE with an SDP offer to `target`, ACK on 2xx, BYE on demand; answers the peer's BYE. */
export class SipCaller {
  readonly #endpoint: Endpoint;
  readonly #target: { host: string; port: number; user: string };
  readonly #responses: SipResponse[] = [];
  /** Methods of the requests the peer sent us (its BYE). */
  readonly requests: string[] = [];
  #invite: SipRequest | undefined;
  #dialog: { toTag: string | undefined; contact: string; cseq: number } | undefined;

  private constructor(endpoint: Endpoint, target: { host: string; port: number; user: string }) {
    this.#endpoint = endpoint;
    this.#target = target;
    endpoint.socket.on('message', (data) => this.#onMessage(data));
  }

  /** A caller towards `user@host:port` (the user defaults to `tester`, writeBaresipConfig's account). */
  static async open(target: { host: string; port: number; user?: string }): Promise<SipCaller> {
    return new SipCaller(await openEndpoint(), { user: 'tester', ...target });
  }

  get #targetUri(): string {
    return `sip:${this.#target.user}@${this.#target.host}:${this.#target.port}`;
  }

  #request(method: string, requestUri: string, cseq: number, body?: string): SipRequest {
    const { host, port } = this.#endpoint;
    const invite = this.#invite;
    const to = new NameAddr({ uri: this.#targetUri });
    if (this.#dialog?.toTag) to.tag = this.#dialog.toTag;
    return createRequest({
      method,
      requestUri,
      from:
        invite?.from ??
        new NameAddr({ uri: `sip:trunkline@${host}:${port}`, params: [['tag', generateTag()]] }),
      to,
      callId: invite?.callId,
      cseq,
      via: { transport: 'UDP', host, port, rport: null },
      contact: `sip:trunkline@${host}:${port}`,
      body,
      contentType: body === undefined ? undefined : 'application/sdp',
    });
  }

  #onMessage(data: Buffer): void {
    const message = parse(data);
    if (message === undefined) return;
    if (message.kind === 'response') {
      this.#responses.push(message);
      return;
    }
    this.requests.push(message.method);
    if (message.method !== 'ACK') send(this.#endpoint, createResponse(message, 200), this.#target);
  }

  /** Sends the INVITE with `sdp`, waits for the final response and ACKs a 2xx. */
  async invite(sdp: string, timeoutMs = 15_000): Promise<SipResponse> {
    const requestUri = this.#targetUri;
    const invite = this.#request('INVITE', requestUri, 1, sdp);
    this.#invite = invite;
    send(this.#endpoint, invite, this.#target);
    const response = await waitUntil(
      () => this.#responses.find((r) => r.cseq?.method === 'INVITE' && r.statusCode >= 200),
      'final response to the INVITE',
      timeoutMs,
    );
    if (response.statusCode < 300) {
      this.#dialog = {
        toTag: response.to?.tag,
        contact: response.contacts[0]?.uri.format() ?? requestUri,
        cseq: 1,
      };
      send(this.#endpoint, this.#request('ACK', this.#dialog.contact, 1), this.#target);
    }
    return response;
  }

  /** Ends an established call; resolves with the final response, or undefined without one. */
  async bye(timeoutMs = 5000): Promise<SipResponse | undefined> {
    const dialog = this.#dialog;
    if (!dialog || this.requests.includes('BYE')) return undefined;
    const cseq = ++dialog.cseq;
    send(this.#endpoint, this.#request('BYE', dialog.contact, cseq), this.#target);
    return waitUntil(
      () =>
        this.#responses.find((r) => r.cseq?.method === 'BYE' && r.cseq?.seq === cseq && r.statusCode >= 200),
      'final response to the BYE',
      timeoutMs,
    ).catch(() => undefined);
  }

  close(): void {
    this.#endpoint.socket.close();
  }
}

/** What the answerer saw of one call. */
export interface AnsweredCall {
  readonly invite: SipRequest;
  /** Resolves when the peer's BYE arrives (answered with 200). */
  readonly ended: Promise<void>;
}

/**
 * Answers one call on a UDP port: calls `answer(offerSdp)` for our SDP, replies 200 (retransmitted until the ACK,
 * RFC 3261 §13.3.1.4), and answers the peer's BYE with 200. Retransmitted INVITEs get the same 200 again.
 */
export class SipAnswerer {
  readonly #endpoint: Endpoint;
  readonly #toTag = generateTag();
  #answer: ((offer: string) => string) | undefined;
  #ok: SipResponse | undefined;
  #okTo: { host: string; port: number } | undefined;
  #acked = false;
  #invite: SipRequest | undefined;
  #onInvite: ((invite: SipRequest) => void) | undefined;
  #onBye: (() => void) | undefined;

  private constructor(endpoint: Endpoint) {
    this.#endpoint = endpoint;
    endpoint.socket.on('message', (data, from) =>
      this.#onMessage(data, { host: from.address, port: from.port }),
    );
  }

  static async open(port = 0): Promise<SipAnswerer> {
    return new SipAnswerer(await openEndpoint(port));
  }

  get port(): number {
    return this.#endpoint.port;
  }

  /** Answers the next INVITE with `answer(offer)`; resolves once it is answered. */
  accept(answer: (offer: string) => string, timeoutMs = 30_000): Promise<AnsweredCall> {
    this.#answer = answer;
    const ended = new Promise<void>((resolve) => (this.#onBye = resolve));
    return new Promise<AnsweredCall>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`no INVITE within ${timeoutMs} ms`)), timeoutMs);
      this.#onInvite = (invite) => {
        clearTimeout(timer);
        resolve({ invite, ended });
      };
    });
  }

  #onMessage(data: Buffer, from: { host: string; port: number }): void {
    const message = parse(data);
    if (message === undefined || message.kind === 'response') return;
    if (message.method === 'INVITE') {
      if (this.#ok === undefined && this.#answer) {
        const sdp = this.#answer(message.body.toString('utf8'));
        this.#invite = message;
        this.#ok = createResponse(message, 200, {
          toTag: this.#toTag,
          headers: [['Contact', `<sip:answerer@${this.#endpoint.host}:${this.#endpoint.port}>`]],
          body: sdp,
          contentType: 'application/sdp',
        });
        this.#okTo = from;
        void this.#retransmitOk();
        this.#onInvite?.(message);
      }
      if (this.#ok) send(this.#endpoint, this.#ok, from);
      return;
    }
    if (message.method === 'ACK') this.#acked = true;
    else {
      send(this.#endpoint, createResponse(message, 200), from);
      if (message.method === 'BYE') this.#onBye?.();
    }
  }

  async #retransmitOk(): Promise<void> {
    // RFC 3261 §13.3.1.4: T1 doubling to T2, until the ACK.
    for (let intervalMs = 500; !this.#acked && this.#invite; intervalMs = Math.min(4000, intervalMs * 2)) {
      await sleep(intervalMs);
      if (!this.#acked && this.#ok && this.#okTo) send(this.#endpoint, this.#ok, this.#okTo);
    }
  }

  close(): void {
    this.#invite = undefined;
    this.#acked = true;
    this.#endpoint.socket.close();
  }
}
