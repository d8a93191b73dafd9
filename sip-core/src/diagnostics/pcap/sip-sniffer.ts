// Recognising SIP by its start line (RFC 3261 §7.1, §7.2) rather than by port: PBXs and carriers use 5060, 5080,
// 5070, 15060 and anything else, and a capture taken on `any` mixes SIP with everything else on the host.

/** How many leading bytes the sniffer looks at: a start line longer than this is not one we can use. */
const START_LINE_SCAN_BYTES = 512;
const START_LINE = /^(?:SIP\/2\.0 [1-6]\d\d [^\r\n]*|[A-Z][A-Z-]{1,31} [^ \r\n]+ SIP\/2\.0)\r?\n/;

/** Whether `bytes` begins with a SIP request or status line. */
export function looksLikeSipMessage(bytes: Uint8Array): boolean {
  if (bytes.length < 12) return false;
  const first = bytes[0];
  // Cheap gate before decoding: a SIP message starts with an upper-case letter (a method or "SIP/").
  if (first < 0x41 || first > 0x5a) return false;
  const head = Buffer.from(bytes.buffer, bytes.byteOffset, Math.min(bytes.length, START_LINE_SCAN_BYTES));
  return START_LINE.test(head.toString('latin1'));
}
