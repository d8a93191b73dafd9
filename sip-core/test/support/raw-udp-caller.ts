// A PBX reduced to the datagrams of one answered call over UDP, for tests that must control exactly when each
// request leaves and see each response the moment it arrives (the durable-BYE tests, docs/adr/0150): INVITE with
// a G.711 offer to the emulator's echo number on the demo account's IP-ACL trunk, ACK, BYE — and the BYE again
// with the same branch, as a UDP retransmission (RFC 3261 §17.1.2.2). No stack, no timers.

import { headerValue, parseMinimalSip, statusCode, type MinimalSipMessage } from './minimal-sip.js';

/** The demo account's IP-ACL trunk and its echo number (BEHAVIOUR.md §14, far-end table). */
export const ACL_TRUNK_HOST = '10000000000002.zt.plivo.com';
export const ECHO_NUMBER = '+14155550111';

export interface RawUdpCallAddresses {
  /** Where the caller's socket listens (127.0.0.1). */
  readonly localPort: number;
  /** The RTP port written in the offer (nothing needs to listen there for signalling tests). */
  readonly rtpPort: number;
}

/** One call's requests as text; `answered` takes the 200 to the INVITE so that ACK and BYE name its dialog. */
export class RawUdpCall {
  readonly callId: string;
  /** The Call-ID as a token, for the branch and the From tag. */
  readonly #token: string;
  readonly #local: RawUdpCallAddresses;
  #toTag = '';
  #target = '';

  constructor(callId: string, local: RawUdpCallAddresses) {
    this.callId = callId;
    this.#token = callId.replace(/[^A-Za-z0-9]/g, '-');
    this.#local = local;
  }

  invite(): string {
    const offer = [
      'v=0',
      'o=pbx 1 1 IN IP4 127.0.0.1',
      's=-',
      'c=IN IP4 127.0.0.1',
      't=0 0',
      `m=audio ${this.#local.rtpPort} RTP/AVP 0 101`,
      'a=rtpmap:0 PCMU/8000',
      'a=rtpmap:101 telephone-event/8000',
      'a=sendrecv',
      '',
    ].join('\r\n');
    return this.#request(
      'INVITE',
      `sip:${ECHO_NUMBER}@${ACL_TRUNK_HOST}`,
      1,
      'inv',
      [`Contact: <sip:pbx@127.0.0.1:${this.#local.localPort}>`, 'Content-Type: application/sdp'],
      offer,
    );
  }

  /** Remembers the dialog the 200 to the INVITE created (To tag, the emulator's Contact). */
  answered(ok: MinimalSipMessage): void {
    this.#toTag = /;tag=([^;>\s]+)/.exec(headerValue(ok, 'to') ?? '')?.[1] ?? '';
    this.#target = /<([^>]+)>/.exec(headerValue(ok, 'contact') ?? '')?.[1] ?? `sip:${ACL_TRUNK_HOST}`;
  }

  ack(): string {
    return this.#request('ACK', this.#target, 1, 'ack');
  }

  /** The BYE; the same text again is its retransmission (same branch). */
  bye(): string {
    return this.#request('BYE', this.#target, 2, 'bye');
  }

  #request(
    method: string,
    uri: string,
    seq: number,
    branch: string,
    headers: string[] = [],
    body = '',
  ): string {
    const to = `<sip:${ECHO_NUMBER}@${ACL_TRUNK_HOST}>${this.#toTag === '' ? '' : `;tag=${this.#toTag}`}`;
    return [
      `${method} ${uri} SIP/2.0`,
      `Via: SIP/2.0/UDP 127.0.0.1:${this.#local.localPort};rport;branch=z9hG4bK-${branch}-${this.#token}`,
      'Max-Forwards: 70',
      `From: <sip:+14155550101@127.0.0.1>;tag=pbx-${this.#token}`,
      `To: ${to}`,
      `Call-ID: ${this.callId}`,
      `CSeq: ${seq} ${method}`,
      ...headers,
      `Content-Length: ${Buffer.byteLength(body)}`,
      '',
      body,
    ].join('\r\n');
  }
}

/** What a datagram from the emulator is: its status and CSeq method, for a response. */
export function responseOf(
  text: string,
): { status: number; method: string; message: MinimalSipMessage } | undefined {
  const message = parseMinimalSip(text);
  const status = statusCode(message);
  if (status === undefined) return undefined;
  const method = (headerValue(message, 'cseq') ?? '').split(/\s+/)[1] ?? '';
  return { status, method, message };
}
