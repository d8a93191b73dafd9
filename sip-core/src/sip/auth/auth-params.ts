// The shared syntax of every SIP authentication header value (RFC 3261 §25.1, the `challenge` and
// `credentials` rules; RFC 7616 §3.3–3.4 for the Digest parameters):
//
//   value       = auth-scheme LWS auth-param *(COMMA auth-param)
//   auth-param  = auth-param-name EQUAL ( token / quoted-string )
//
// One value holds exactly one challenge or one set of credentials: RFC 3261 §7.3.1 forbids combining
// WWW-Authenticate, Authorization, Proxy-Authenticate and Proxy-Authorization values with commas, so the
// header fields arrive as separate strings and this module never has to split them.
//
// Parsing is tolerant where real stacks differ and harmless to accept (empty list elements, unquoted values
// that RFC 7616 wants quoted, folded whitespace) and strict where ambiguity would change the meaning
// (unterminated quotes, duplicate parameters, garbage between parameters).

import { DigestAuthError } from './digest-auth-error.js';

/** One auth-param as it appeared: the value is unescaped; `quoted` says whether it was a quoted-string. */
export interface AuthParam {
  readonly value: string;
  readonly quoted: boolean;
}

/** A parsed header value: the scheme as written, and the parameters keyed by lower-case name. */
export interface ParsedAuthHeader {
  readonly scheme: string;
  readonly params: ReadonlyMap<string, AuthParam>;
}

/** How a parameter is written by `formatAuthHeader`. */
export type AuthParamStyle = 'token' | 'quoted';

/** Header values beyond this size are refused before any work is done on them (a defensive bound). */
export const MAX_AUTH_HEADER_LENGTH = 8192;

// RFC 3261 §25.1: token = 1*(alphanum / "-" / "." / "!" / "%" / "*" / "_" / "+" / "`" / "'" / "~").
const TOKEN = /^[A-Za-z0-9\-.!%*_+`'~]+$/;
/** TOKEN_CHARS[code] is 1 for the ASCII codes a token may contain (a table: the scanner asks per character). */
const TOKEN_CHARS = new Uint8Array(128);
for (let code = 0; code < 128; code += 1) {
  if (TOKEN.test(String.fromCharCode(code))) TOKEN_CHARS[code] = 1;
}

function isTokenChar(ch: string): boolean {
  return TOKEN_CHARS[ch.charCodeAt(0)] === 1;
}

/**
 * Characters accepted in an unquoted value. Wider than `token` on purpose: some stacks send `uri=sip:…` or
 * base64 nonces without quotes, and nothing is ambiguous as long as the value stops at a comma or blank.
 */
function isBareValueChar(ch: string): boolean {
  const code = ch.charCodeAt(0);
  return code > 0x20 && code !== 0x7f && ch !== ',' && ch !== '"' && ch !== '\\';
}

function malformed(message: string): DigestAuthError {
  return new DigestAuthError('ERR_DIGEST_MALFORMED', message);
}

/** A cursor over one header value; `pos` is a UTF-16 index, reported 1-based in error messages. */
class Scanner {
  pos = 0;
  constructor(readonly text: string) {}

  get done(): boolean {
    return this.pos >= this.text.length;
  }

  peek(): string {
    return this.text.charAt(this.pos);
  }

  /**
   * Skips linear whitespace: SP, HTAB and a folded line break (CRLF followed by SP/HTAB, RFC 3261 §7.3.1).
   * Returns whether anything was skipped. A CR or LF that is not a fold is an error: it would end the header.
   */
  skipWhitespace(): boolean {
    const start = this.pos;
    for (;;) {
      const ch = this.peek();
      if (ch === ' ' || ch === '\t') {
        this.pos += 1;
      } else if (ch === '\r' || ch === '\n') {
        const fold = /^(\r\n|\n)[ \t]/.exec(this.text.slice(this.pos, this.pos + 3));
        if (!fold) throw malformed(`Line break that is not a header fold at position ${this.pos + 1}.`);
        this.pos += fold[1]?.length ?? 1;
      } else {
        return this.pos > start;
      }
    }
  }

  readToken(what: string): string {
    const start = this.pos;
    while (!this.done && isTokenChar(this.peek())) this.pos += 1;
    if (this.pos === start) throw malformed(`Expected ${what} at position ${start + 1}.`);
    return this.text.slice(start, this.pos);
  }

  readBareValue(name: string): string {
    const start = this.pos;
    while (!this.done && isBareValueChar(this.peek())) this.pos += 1;
    if (this.pos === start) throw malformed(`Parameter '${name}' has no value (position ${start + 1}).`);
    return this.text.slice(start, this.pos);
  }

  /** Reads a quoted-string starting at the opening quote; returns the unescaped content. */
  readQuoted(name: string): string {
    const start = this.pos;
    this.pos += 1;
    let out = '';
    for (;;) {
      if (this.done)
        throw malformed(`Unterminated quoted value of '${name}' (opened at position ${start + 1}).`);
      const ch = this.peek();
      if (ch === '"') {
        this.pos += 1;
        return out;
      }
      if (ch === '\\') {
        // quoted-pair = "\" (%x00-09 / %x0B-0C / %x0E-7F): anything but CR and LF may be escaped.
        const next = this.text.charAt(this.pos + 1);
        if (next === '' || next === '\r' || next === '\n') {
          throw malformed(`Dangling escape in the value of '${name}' at position ${this.pos + 1}.`);
        }
        out += next;
        this.pos += 2;
      } else if (ch === '\r' || ch === '\n') {
        // A fold inside a quoted string is LWS, which the grammar allows and which reads as one space.
        this.skipWhitespace();
        out += ' ';
      } else {
        out += ch;
        this.pos += 1;
      }
    }
  }
}

/**
 * Parses `scheme param=value, param="value", …`. Parameter names are case-insensitive (RFC 7616 §3.3) and are
 * returned lower-case; a name that appears twice makes the value malformed, since the two readings would
 * disagree about what was meant. Throws `DigestAuthError` (`ERR_DIGEST_MALFORMED`) and nothing else.
 */
export function parseAuthHeader(value: string): ParsedAuthHeader {
  if (value.length > MAX_AUTH_HEADER_LENGTH) {
    throw malformed(`Authentication header value is longer than ${MAX_AUTH_HEADER_LENGTH} characters.`);
  }
  const s = new Scanner(value);
  s.skipWhitespace();
  const scheme = s.readToken('an authentication scheme');
  const params = new Map<string, AuthParam>();
  if (!s.done && !s.skipWhitespace()) {
    throw malformed(`Expected a blank after the scheme '${scheme}' at position ${s.pos + 1}.`);
  }
  while (!s.done) {
    // RFC 7230 §7 list tolerance: empty elements (", ,") are skipped.
    if (s.peek() === ',') {
      s.pos += 1;
      s.skipWhitespace();
      continue;
    }
    const name = s.readToken('a parameter name').toLowerCase();
    s.skipWhitespace();
    if (s.peek() !== '=') throw malformed(`Expected '=' after parameter '${name}' at position ${s.pos + 1}.`);
    s.pos += 1;
    s.skipWhitespace();
    const quoted = s.peek() === '"';
    const paramValue = quoted ? s.readQuoted(name) : s.readBareValue(name);
    if (params.has(name)) throw malformed(`Parameter '${name}' appears more than once.`);
    params.set(name, { value: paramValue, quoted });
    s.skipWhitespace();
    if (!s.done && s.peek() !== ',') {
      throw malformed(`Expected ',' after the value of '${name}' at position ${s.pos + 1}.`);
    }
  }
  return { scheme, params };
}

/**
 * Writes `value` as a quoted-string: `"` and `\` are escaped. Control characters cannot be carried by a SIP
 * quoted-string without ambiguity (CR and LF not at all), so they are refused with `ERR_DIGEST_UNREPRESENTABLE`;
 * `what` names the field in that message (never the value, which may be a username typed with a stray newline).
 */
export function quoteAuthValue(value: string, what: string): string {
  // eslint-disable-next-line no-control-regex
  if (/[\u0000-\u0008\u000a-\u001f\u007f]/.test(value)) {
    throw new DigestAuthError(
      'ERR_DIGEST_UNREPRESENTABLE',
      `The ${what} contains a control character and cannot be written into a SIP header.`,
    );
  }
  return `"${value.replace(/[\\"]/g, (ch) => `\\${ch}`)}"`;
}

/** Whether `value` may be written unquoted (a `token` of RFC 3261 §25.1). */
export function isAuthToken(value: string): boolean {
  return TOKEN.test(value);
}

/**
 * Serializes a header value from an ordered parameter list. `token` parameters must be tokens (RFC 7616
 * writes algorithm, qop in credentials, nc, stale and userhash unquoted; some servers compare them literally).
 */
export function formatAuthHeader(
  scheme: string,
  params: ReadonlyArray<readonly [name: string, value: string, style: AuthParamStyle]>,
): string {
  const parts = params.map(([name, value, style]) => {
    if (style === 'quoted') return `${name}=${quoteAuthValue(value, `'${name}' value`)}`;
    if (!isAuthToken(value)) {
      throw new DigestAuthError(
        'ERR_DIGEST_UNREPRESENTABLE',
        `The '${name}' value is not a valid SIP token.`,
      );
    }
    return `${name}=${value}`;
  });
  return `${scheme} ${parts.join(', ')}`;
}

/** The only scheme `sip/auth` answers and issues. */
export const DIGEST_SCHEME = 'Digest';

/** Reads a "true"/"false" flag; RFC 7616 §3.3 treats anything but a case-insensitive "true" as false. */
export function readFlag(param: AuthParam | undefined): boolean {
  return param?.value.toLowerCase() === 'true';
}

/** Returns the parameter's value, or throws `ERR_DIGEST_MALFORMED` naming what is missing. */
export function requireParam(params: ReadonlyMap<string, AuthParam>, name: string, what: string): string {
  const param = params.get(name);
  if (param === undefined) throw new DigestAuthError('ERR_DIGEST_MALFORMED', `The ${what} has no '${name}'.`);
  return param.value;
}

/**
 * Parses `value` after checking that its scheme is Digest (case-insensitively). Throws
 * `ERR_DIGEST_UNSUPPORTED` for another scheme and `ERR_DIGEST_MALFORMED` for a broken value.
 */
export function parseDigestHeader(value: string, what: string): ReadonlyMap<string, AuthParam> {
  const { scheme, params } = parseAuthHeader(value);
  if (scheme.toLowerCase() !== DIGEST_SCHEME.toLowerCase()) {
    throw new DigestAuthError(
      'ERR_DIGEST_UNSUPPORTED',
      `The ${what} uses the scheme '${scheme}', not Digest.`,
    );
  }
  return params;
}
