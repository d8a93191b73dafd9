// The Call-ID of a SIP message as it was on the wire, without a full parse: a per-call capture tests every message
// of the user agent's trace, and a softphone's trace also holds OPTIONS and other calls. RFC 3261 §7.3.3 allows the
// compact form `i`, any case, and white space around the colon; the header section ends at the first empty line.

const HEADER_END = Buffer.from('\r\n\r\n', 'latin1');
const CALL_ID_LINE = /^(?:call-id|i)[ \t]*:[ \t]*([^\r\n]+?)[ \t]*$/im;

/** The Call-ID of `bytes`, or undefined when it has none (or is not SIP). */
export function sipCallIdOf(bytes: Uint8Array): string | undefined {
  const buffer = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const end = buffer.indexOf(HEADER_END);
  const head = buffer.toString('latin1', 0, end < 0 ? buffer.length : end);
  return CALL_ID_LINE.exec(head)?.[1];
}
