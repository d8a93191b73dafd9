// Building requests: a new request outside a dialog (RFC 3261 §8.1.1), CANCEL (§9.1) and the ACK for a non-2xx
// final response (§17.1.1.3), which the INVITE client transaction builds itself.

import { CSeq, CSEQ_GRAMMAR } from './cseq.js';
import { HeaderField } from './header-field.js';
import { CONTACT_GRAMMAR, NAME_ADDR_GRAMMAR, NameAddr, type NameAddrInit } from './name-addr.js';
import { generateBranch, generateCallId, generateTag } from './random-ids.js';
import { isCallId } from './scalar-headers.js';
import { SipHeaders } from './sip-headers.js';
import { SipMessageError } from './sip-message-error.js';
import { SipRequest } from './sip-request.js';
import type { SipResponse } from './sip-response.js';
import type { Uri } from './uri.js';
import { Via, VIA_GRAMMAR, type ViaInit } from './via.js';

/** An address for To, From or Contact: a NameAddr, its parts, or a URI. */
export type AddressInput = NameAddr | NameAddrInit | Uri | string;

export interface RequestInit {
  readonly method: string;
  readonly requestUri: Uri | string;
  /** From; a tag is generated when it has none (RFC 3261 §8.1.1.3). */
  readonly from: AddressInput;
  /** To; no tag outside a dialog (RFC 3261 §8.1.1.2). */
  readonly to: AddressInput;
  /** Generated (128 random bits) when absent. */
  readonly callId?: string;
  /** Defaults to 1; RFC 3261 §8.1.1.5 asks for less than 2^31. */
  readonly cseq?: number;
  /** Defaults to 70 (RFC 3261 §8.1.1.6). */
  readonly maxForwards?: number;
  /**
   * The top Via. When its branch is missing one is generated. Leave it out when the transport layer adds the
   * Via as it sends (it knows the sent-by).
   */
  readonly via?: ViaInit;
  readonly contact?: AddressInput | readonly AddressInput[];
  /** Further headers, written after the ones above in this order. */
  readonly headers?: ReadonlyArray<readonly [name: string, value: string]>;
  readonly body?: Buffer | string;
  /** Required with a non-empty body. */
  readonly contentType?: string;
}

/**
 * Creates a request with the headers RFC 3261 §8.1.1 requires, in the customary order: Via, Max-Forwards,
 * To, From, Call-ID, CSeq, Contact, the extra headers, Content-Type (Content-Length is written by the
 * serializer).
 */
export function createRequest(init: RequestInit): SipRequest {
  const headers = new SipHeaders();
  if (init.via !== undefined) {
    const via = new Via({ ...init.via, branch: init.via.branch ?? generateBranch() });
    headers.replace(HeaderField.fromParsed('Via', VIA_GRAMMAR, [via]));
  }
  headers.append('Max-Forwards', String(checkMaxForwards(init.maxForwards ?? 70)));
  const to = toNameAddr(init.to);
  const from = toNameAddr(init.from);
  if (from.tag === undefined) from.tag = generateTag();
  headers.replace(HeaderField.fromParsed('To', NAME_ADDR_GRAMMAR, to));
  headers.replace(HeaderField.fromParsed('From', NAME_ADDR_GRAMMAR, from));
  const callId = init.callId ?? generateCallId();
  if (!isCallId(callId))
    throw new SipMessageError('SIP_HEADER_VALUE_INVALID', 'A Call-ID must be a word or word@word.');
  headers.append('Call-ID', callId);
  headers.replace(HeaderField.fromParsed('CSeq', CSEQ_GRAMMAR, new CSeq(init.cseq ?? 1, init.method)));
  if (init.contact !== undefined) {
    const contacts = (Array.isArray(init.contact) ? init.contact : [init.contact]) as AddressInput[];
    headers.replace(HeaderField.fromParsed('Contact', CONTACT_GRAMMAR, contacts.map(toNameAddr)));
  }
  for (const [name, value] of init.headers ?? []) headers.append(name, value);
  const body = toBody(init.body);
  if (init.contentType !== undefined) headers.append('Content-Type', init.contentType);
  else if (body.length > 0) {
    throw new SipMessageError('SIP_HEADER_VALUE_INVALID', 'A request with a body needs a contentType.');
  }
  return new SipRequest(init.method, init.requestUri, headers, body);
}

/**
 * The CANCEL for a pending request (RFC 3261 §9.1): the same Request-URI, Call-ID, To, From and CSeq number,
 * only the top Via (same branch, so that it matches the INVITE's server transaction), and the Route set.
 */
export function createCancel(request: SipRequest): SipRequest {
  const headers = new SipHeaders();
  const via = request.topVia;
  if (via === undefined) {
    throw new SipMessageError(
      'SIP_HEADER_VALUE_INVALID',
      'A request must carry its Via before it can be cancelled.',
    );
  }
  headers.append(request.headers.first('via')!.name, via.toString());
  copyFields(request, headers, ['max-forwards', 'to', 'from', 'call-id']);
  headers.append('CSeq', `${request.cseq!.seq} CANCEL`);
  copyFields(request, headers, ['route']);
  return new SipRequest('CANCEL', request.requestUri, headers);
}

/**
 * The ACK for a non-2xx final response, sent by the INVITE client transaction (RFC 3261 §17.1.1.3): the
 * request's Request-URI, Call-ID, From, CSeq number and top Via, the response's To (with its tag), and the
 * request's Route set.
 */
export function createNon2xxAck(request: SipRequest, response: SipResponse): SipRequest {
  const headers = new SipHeaders();
  const [via, cseq] = transactionHeaders(request);
  headers.append(request.headers.first('via')!.name, via.toString());
  copyFields(request, headers, ['max-forwards']);
  const to = response.headers.first('to');
  if (to !== undefined) headers.append(to.name, to.value);
  copyFields(request, headers, ['from', 'call-id']);
  headers.append('CSeq', `${cseq.seq} ACK`);
  copyFields(request, headers, ['route']);
  return new SipRequest('ACK', request.requestUri, headers);
}

/** The top Via and CSeq a CANCEL or ACK is built from (RFC 3261 §9.1, §17.1.1.3). */
function transactionHeaders(request: SipRequest): [Via, CSeq] {
  const via = request.topVia;
  const cseq = request.cseq;
  if (via === undefined || cseq === undefined) {
    throw new SipMessageError(
      'SIP_HEADER_VALUE_INVALID',
      'The request needs its Via and CSeq before a CANCEL or ACK can be built for it.',
    );
  }
  return [via, cseq];
}

function copyFields(source: SipRequest, target: SipHeaders, keys: readonly string[]): void {
  for (const key of keys) {
    for (const field of source.headers) if (field.key === key) target.append(field.name, field.value);
  }
}

/** A new NameAddr from any form of address input (a NameAddr is copied, never shared between messages). */
export function toNameAddr(input: AddressInput): NameAddr {
  if (input instanceof NameAddr) {
    return new NameAddr({ uri: input.uri, displayName: input.displayName, params: input.params });
  }
  if (typeof input === 'string' || 'kind' in input) return new NameAddr({ uri: input });
  return new NameAddr(input);
}

function toBody(body: Buffer | string | undefined): Buffer {
  if (body === undefined) return Buffer.alloc(0);
  return typeof body === 'string' ? Buffer.from(body, 'utf8') : body;
}

function checkMaxForwards(value: number): number {
  if (!Number.isInteger(value) || value < 0 || value > 255) {
    throw new SipMessageError('SIP_VALUE_OUT_OF_RANGE', 'Max-Forwards must be an integer from 0 to 255.');
  }
  return value;
}
