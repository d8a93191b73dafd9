// Responses for transport interop tests, built with the real message model: the request is parsed and answered
// with createResponse (RFC 3261 §8.2.6.2: Via, From, To, Call-ID and CSeq copied), so the bytes are what the stack
// itself would write.

import {
  createResponse,
  parseSipMessage,
  serializeSipMessage,
  type SipRequest,
} from '../../src/sip/message/index.js';

/** The method of a request's start line, e.g. `INVITE`. */
export function methodOf(message: string): string {
  return message.slice(0, message.indexOf(' '));
}

/** A response to `request` with `status` (e.g. `200 OK`), a To tag, and `extraHeaders` (`Name: value` lines). */
export function respondTo(
  request: string,
  status: string,
  options: { toTag?: string; extraHeaders?: string[] } = {},
): Buffer {
  const parsed = parseSipMessage(Buffer.from(request, 'utf8')) as SipRequest;
  const space = status.indexOf(' ');
  const headers = (options.extraHeaders ?? []).map((line): [string, string] => {
    const colon = line.indexOf(':');
    return [line.slice(0, colon).trim(), line.slice(colon + 1).trim()];
  });
  const response = createResponse(parsed, Number(status.slice(0, space)), {
    reasonPhrase: status.slice(space + 1),
    ...(options.toTag !== undefined ? { toTag: options.toTag } : {}),
    headers,
  });
  return serializeSipMessage(response);
}
