// Header names: the key every lookup uses (lower-case long form), the compact forms of RFC 3261 §7.3.3 and
// the extensions that define one, and which headers hold a single value.

/** Compact form → long form, lower case (RFC 3261 §7.3.3 and the RFCs that defined each letter). */
export const COMPACT_FORMS: Readonly<Record<string, string>> = Object.freeze({
  a: 'accept-contact', // RFC 3841
  b: 'referred-by', // RFC 3892
  c: 'content-type',
  d: 'request-disposition', // RFC 3841
  e: 'content-encoding',
  f: 'from',
  i: 'call-id',
  j: 'reject-contact', // RFC 3841
  k: 'supported',
  l: 'content-length',
  m: 'contact',
  o: 'event', // RFC 6665
  r: 'refer-to', // RFC 3515
  s: 'subject',
  t: 'to',
  u: 'allow-events', // RFC 6665
  v: 'via',
  x: 'session-expires', // RFC 4028
  y: 'identity', // RFC 8224
});

// Names whose lower-case form is looked up often, mapped from the spellings seen on the wire, so that the
// parser's hot path avoids a toLowerCase() per header line. Only fixed names go in: input never grows it.
const KNOWN_KEYS = new Map<string, string>();
for (const name of [
  'Via',
  'From',
  'To',
  'Call-ID',
  'Call-Id',
  'CSeq',
  'Contact',
  'Max-Forwards',
  'Content-Length',
  'Content-Type',
  'Route',
  'Record-Route',
  'Allow',
  'Supported',
  'Require',
  'Proxy-Require',
  'Unsupported',
  'User-Agent',
  'Server',
  'Expires',
  'Accept',
  'Authorization',
  'Proxy-Authorization',
  'WWW-Authenticate',
  'Proxy-Authenticate',
  'Reason',
  'Session-Expires',
  'Min-SE',
  'Date',
  'Timestamp',
  'Subject',
  'Warning',
  'Allow-Events',
  'Event',
  'P-Asserted-Identity',
  'Remote-Party-ID',
  'Content-Disposition',
]) {
  const key = name.toLowerCase();
  KNOWN_KEYS.set(name, key);
  KNOWN_KEYS.set(key, key);
}
for (const [compact, key] of Object.entries(COMPACT_FORMS)) {
  KNOWN_KEYS.set(compact, key);
  KNOWN_KEYS.set(compact.toUpperCase(), key);
}

// Canonical spellings grouped by length, for `readHeaderName`: a header name is matched in place in the message
// text, without slicing or hashing it, because most names on the wire are spelled exactly like this.
const SPELLINGS_BY_LENGTH: Array<Array<[spelling: string, key: string]>> = [];
for (const [spelling, key] of KNOWN_KEYS) {
  if (spelling.length < 2 || spelling === key) continue;
  (SPELLINGS_BY_LENGTH[spelling.length] ??= []).push([spelling, key]);
}

/**
 * When [start, end) of `text` is a common header name in its usual spelling, that spelling (a shared constant
 * string) and its lookup key; otherwise undefined.
 */
export function matchKnownHeaderName(
  text: string,
  start: number,
  end: number,
): readonly [name: string, key: string] | undefined {
  const candidates = SPELLINGS_BY_LENGTH[end - start];
  if (candidates === undefined) return undefined;
  for (let i = 0; i < candidates.length; i++) {
    const candidate = candidates[i];
    if (text.startsWith(candidate[0], start)) return candidate;
  }
  return undefined;
}

/** The lookup key of a header name: lower case, compact forms expanded (`v`, `V`, `VIA` → `via`). */
export function headerKey(name: string): string {
  const known = KNOWN_KEYS.get(name);
  if (known !== undefined) return known;
  const lower = name.toLowerCase();
  return COMPACT_FORMS[lower] ?? lower;
}

/**
 * Headers that carry exactly one value (RFC 3261 §20 and §7.3.1: the others may be comma-joined lists, and
 * only they may appear more than once). More than one field of these in a request is a 400 (RFC 4475
 * `multi01`); their values are never split at commas.
 */
export const SINGLE_VALUE_HEADERS: ReadonlySet<string> = new Set([
  'call-id',
  'cseq',
  'from',
  'to',
  'max-forwards',
  'content-length',
  'content-type',
]);

/** The spelling used when this stack writes a header it creates (`Call-ID`, `CSeq`, `WWW-Authenticate`). */
export function canonicalHeaderName(name: string): string {
  const key = headerKey(name);
  const special = SPECIAL_SPELLINGS[key];
  if (special) return special;
  return key.replace(/(^|-)([a-z])/g, (_m, dash: string, ch: string) => dash + ch.toUpperCase());
}

const SPECIAL_SPELLINGS: Readonly<Record<string, string>> = {
  'call-id': 'Call-ID',
  cseq: 'CSeq',
  'www-authenticate': 'WWW-Authenticate',
  'min-se': 'Min-SE',
  rack: 'RAck',
  rseq: 'RSeq',
  'sip-etag': 'SIP-ETag',
  'sip-if-match': 'SIP-If-Match',
  identity: 'Identity',
};
