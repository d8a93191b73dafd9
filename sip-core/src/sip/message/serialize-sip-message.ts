// SipRequest | SipResponse → bytes (RFC 3261 §7). Every header is written with its name as received (or as set)
// and in order. Content-Length is always written from the body's byte length (RFC 3261 §18.3 makes it
// mandatory on streams; writing it always costs nothing): the first Content-Length field keeps its place and
// its name (`l` stays `l`), any further one is dropped, and one is appended when there was none.

import type { SipRequest } from './sip-request.js';
import type { SipResponse } from './sip-response.js';

export function serializeSipMessage(message: SipRequest | SipResponse): Buffer {
  const body = message.body;
  let head = `${message.startLine}\r\n`;
  let wroteLength = false;
  for (const field of message.headers) {
    if (field.key === 'content-length') {
      if (wroteLength) continue;
      head += `${field.name}: ${body.length}\r\n`;
      wroteLength = true;
      continue;
    }
    head += `${field.name}: ${field.value}\r\n`;
  }
  if (!wroteLength) head += `Content-Length: ${body.length}\r\n`;
  head += '\r\n';
  const headBytes = Buffer.byteLength(head, 'utf8');
  // A buffer of its own, not a slice of Node's shared 8 KB pool: whoever keeps the bytes of a sent message (the
  // emulator's trace collector keeps every one until its call's CDR is written) keeps them without a copy, and a
  // kept message pins its own few hundred bytes, not a pool slab. The slow allocation costs less than the copy.
  const out = Buffer.allocUnsafeSlow(headBytes + body.length);
  out.write(head, 0, 'utf8');
  body.copy(out, headBytes);
  return out;
}
