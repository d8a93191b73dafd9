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
  // From Node's shared pool: the emulator's trace collector keeps the slice as it is (docs/adr/0169). A buffer of
  // its own (allocUnsafeSlow) raised the emulator's resident memory per idle call past 10 KB (docs/adr/0164).
  const out = Buffer.allocUnsafe(headBytes + body.length);
  out.write(head, 0, 'utf8');
  body.copy(out, headBytes);
  return out;
}
