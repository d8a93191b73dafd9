// Building a response to a request (RFC 3261 §8.2.6): the Vias, From, To, Call-ID and CSeq are copied
// verbatim, in order, so that the response finds its way back (§18.2.2) and matches the client transaction
// (§17.1.3). The copies are the fields' text, which is also what makes it possible to answer a malformed
// request whose To cannot be parsed (the `partialRequest` of a `SipParseError`).

import type { HeaderField } from './header-field.js';
import { NAME_ADDR_GRAMMAR } from './name-addr.js';
import { SipHeaders } from './sip-headers.js';
import { isToken } from './sip-lexer.js';
import { SipMessageError } from './sip-message-error.js';
import type { SipRejection } from './sip-rejection.js';
import type { SipRequest } from './sip-request.js';
import { SipResponse } from './sip-response.js';

export interface ResponseInit {
  /** Defaults to the standard phrase of the status code. */
  readonly reasonPhrase?: string;
  /**
   * The UAS's tag, added to To when the request's To has none (§8.2.6.2). Ignored for 100 Trying, which never
   * gets a tag from this function (§8.2.6.1), and when To already has a tag (an in-dialog request).
   */
  readonly toTag?: string;
  /** Further headers, written after the copied ones in this order. */
  readonly headers?: ReadonlyArray<readonly [name: string, value: string]>;
  readonly body?: Buffer | string;
  /** Required with a non-empty body. */
  readonly contentType?: string;
}

const COPIED = new Set(['via', 'from', 'to', 'call-id', 'cseq']);

export function createResponse(
  request: SipRequest,
  statusCode: number,
  init: ResponseInit = {},
): SipResponse {
  const headers = new SipHeaders();
  for (const field of request.headers) {
    if (!COPIED.has(field.key)) continue;
    if (field.key === 'to' && init.toTag !== undefined && statusCode !== 100) {
      headers.append(field.name, withTag(field, init.toTag));
      continue;
    }
    headers.append(field.name, field.value);
  }
  // §8.2.6.1: a 100 Trying echoes the request's Timestamp so that the client can estimate the round trip.
  if (statusCode === 100) {
    const timestamp = request.headers.first('timestamp');
    if (timestamp !== undefined) headers.append(timestamp.name, timestamp.value);
  }
  for (const [name, value] of init.headers ?? []) headers.append(name, value);
  const body =
    init.body === undefined ? undefined : typeof init.body === 'string' ? Buffer.from(init.body) : init.body;
  if (init.contentType !== undefined) headers.append('Content-Type', init.contentType);
  return new SipResponse(statusCode, init.reasonPhrase, headers, body);
}

/**
 * The response a `SipRejection` describes: its status, reason phrase and headers, plus a `Warning: 399` naming
 * the problem when `warnAgent` (this element's host or name, RFC 3261 §20.43) is given.
 */
export function createRejectionResponse(
  request: SipRequest,
  rejection: SipRejection,
  options: { toTag?: string; warnAgent?: string } = {},
): SipResponse {
  const headers: Array<readonly [string, string]> = [...rejection.headers];
  if (options.warnAgent !== undefined) {
    headers.push(['Warning', `399 ${options.warnAgent} "${rejection.warningText.replace(/["\\]/g, '')}"`]);
  }
  return createResponse(request, rejection.statusCode, {
    reasonPhrase: rejection.reasonPhrase,
    toTag: options.toTag,
    headers,
  });
}

function withTag(field: HeaderField, tag: string): string {
  if (!isToken(tag)) throw new SipMessageError('SIP_PARAM_INVALID', 'A To tag must be a token.');
  // A To that does not parse (a malformed request being answered with 400) is copied as it is. Appending the
  // parameter to the text is right for both written forms: after `>` or after an addr-spec, `;tag=` is a
  // header parameter (RFC 3261 §20).
  const to = field.tryParsed(NAME_ADDR_GRAMMAR);
  if (to === undefined || to.tag !== undefined) return field.value;
  return `${field.value};tag=${tag}`;
}
