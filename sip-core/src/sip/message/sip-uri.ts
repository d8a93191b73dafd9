// SIP and SIPS URIs (RFC 3261 §19.1). A parsed URI keeps the text it came from and writes exactly that back,
// so escapes, case and parameter order survive a proxy hop; a URI built or changed in code is written from
// its fields with the escaping each component needs.
//
//   sip:user:password@host:port;uri-parameters?headers
//       └─ userinfo ─┘ └ hostport ┘

import { GenericParams, type ParamValue, type ReadonlyParams } from './generic-params.js';
import { CharClass, indexWithin, scanClass } from './sip-lexer.js';
import { SipMessageError } from './sip-message-error.js';
import { SipParseError } from './sip-parse-error.js';
import { percentDecode, percentEncode, scanEscaped } from './percent-encoding.js';
import { bracketHost } from '../../common/host-port.js';

const { UNRESERVED, USER_UNRESERVED, PASSWORD_UNRESERVED, PARAM_UNRESERVED, HNV_UNRESERVED, HOST } =
  CharClass;
const USER_CHARS = UNRESERVED | USER_UNRESERVED;
const PASSWORD_CHARS = UNRESERVED | PASSWORD_UNRESERVED;
const PARAM_CHARS = UNRESERVED | PARAM_UNRESERVED;
const HEADER_CHARS = UNRESERVED | HNV_UNRESERVED;

export interface SipUriInit {
  readonly scheme?: 'sip' | 'sips';
  /** Decoded user part (escapes are added when written). */
  readonly user?: string;
  /** Decoded password. RFC 3261 §19.1.1 advises against it; it is never shown by `toString` or inspect. */
  readonly password?: string;
  /** Hostname, IPv4 address or IPv6 reference; a bare IPv6 address gets its brackets. */
  readonly host: string;
  readonly port?: number;
  /** Decoded URI parameters in order; `null` for a valueless one (`lr`). */
  readonly params?: Iterable<readonly [name: string, value: ParamValue]>;
  /** Decoded URI headers (`?Replaces=…&…`) in order. */
  readonly headers?: Iterable<readonly [name: string, value: string]>;
}

const fromParser = Symbol('fromParser');
// Most URIs have no headers and many no parameters: parsed ones share these instead of allocating.
const NO_PARAMS: ReadonlyParams = Object.freeze(new GenericParams());
const NO_HEADERS: ReadonlyArray<readonly [string, string]> = Object.freeze([]);

export class SipUri {
  readonly kind = 'sip' as const;
  readonly scheme: 'sip' | 'sips';
  readonly user: string | undefined;
  readonly password: string | undefined;
  readonly host: string;
  readonly port: number | undefined;
  readonly params: ReadonlyParams;
  readonly headers: ReadonlyArray<readonly [name: string, value: string]>;
  // The text this URI was parsed from or last formatted to, and its user and password as written there.
  #text: string | undefined;
  #rawUser: string | undefined;
  #rawPassword: string | undefined;
  /** Made by the parser: `format()` is the text it was parsed from. */
  #parsed = false;

  constructor(init: SipUriInit);
  /** @internal The parser's path: fields already validated, raw text known (positional: no allocation). */
  constructor(
    init: undefined,
    token: typeof fromParser,
    scheme: 'sip' | 'sips',
    host: string,
    port: number | undefined,
    params: ReadonlyParams,
    headers: ReadonlyArray<readonly [string, string]>,
    text: string,
    rawUser: string | undefined,
    rawPassword: string | undefined,
  );
  constructor(
    init: SipUriInit | undefined,
    token?: typeof fromParser,
    scheme?: 'sip' | 'sips',
    host?: string,
    port?: number,
    params?: ReadonlyParams,
    headers?: ReadonlyArray<readonly [string, string]>,
    text?: string,
    rawUser?: string,
    rawPassword?: string,
  ) {
    if (token !== fromParser) {
      [this.scheme, this.user, this.password, this.host, this.port, this.params, this.headers] = fromInit(
        init!,
      );
      return;
    }
    this.scheme = scheme!;
    this.host = host!;
    this.port = port;
    this.params = params!;
    this.headers = headers!;
    this.#text = text;
    this.#parsed = true;
    this.#rawUser = rawUser;
    this.#rawPassword = rawPassword;
    this.user = rawUser === undefined ? undefined : percentDecode(rawUser);
    this.password = rawPassword === undefined ? undefined : percentDecode(rawPassword);
  }

  /** Parses a `sip:` or `sips:` URI; throws `SipParseError` (`SIP_URI_MALFORMED`). */
  static parse(text: string): SipUri {
    const colon = text.indexOf(':');
    const scheme = text.slice(0, colon).toLowerCase();
    if (colon < 0 || (scheme !== 'sip' && scheme !== 'sips')) throw uriError('the scheme is not sip or sips');
    return parseSipUriBody(text, scheme, colon + 1, text.length);
  }

  /** The `transport` parameter in lower case (RFC 3261 §19.1.1), or undefined. */
  get transport(): string | undefined {
    return this.params.get('transport')?.toLowerCase();
  }

  /** Whether the `lr` parameter is present (loose routing, RFC 3261 §16.12). */
  get lr(): boolean {
    return this.params.has('lr');
  }

  get maddr(): string | undefined {
    return this.params.get('maddr') ?? undefined;
  }

  /** The `user` URI parameter (`phone`, `ip`), not the user part. */
  get userParam(): string | undefined {
    return this.params.get('user') ?? undefined;
  }

  /** A copy with some fields replaced; passing `undefined` for an optional field removes it. */
  with(changes: Partial<SipUriInit>): SipUri {
    return new SipUri({
      scheme: changes.scheme ?? this.scheme,
      user: 'user' in changes ? changes.user : this.user,
      password: 'password' in changes ? changes.password : this.password,
      host: changes.host ?? this.host,
      port: 'port' in changes ? changes.port : this.port,
      params: changes.params ?? this.params,
      headers: changes.headers ?? this.headers,
    });
  }

  /** A copy with the parameter set (`null` for a valueless one). */
  withParam(name: string, value: ParamValue): SipUri {
    const params = new GenericParams(this.params);
    params.setUnchecked(name, value);
    return this.with({ params });
  }

  withoutParam(name: string): SipUri {
    const params = new GenericParams(this.params);
    params.delete(name);
    return this.with({ params });
  }

  /** @internal The user part as written, for comparisons that must not decode reserved characters. */
  get rawUser(): string | undefined {
    if (this.#rawUser === undefined && this.user !== undefined) {
      this.#rawUser = percentEncode(this.user, USER_CHARS);
    }
    return this.#rawUser;
  }

  /** @internal */
  get rawPassword(): string | undefined {
    if (this.#rawPassword === undefined && this.password !== undefined) {
      this.#rawPassword = percentEncode(this.password, PASSWORD_CHARS);
    }
    return this.#rawPassword;
  }

  /** The URI as it goes on the wire (password included). */
  format(): string {
    return (this.#text ??= this.#formatWith(this.rawPassword));
  }

  /**
   * @internal Whether this URI came from the parser, so that `format()` is text known to parse back to it: a
   * holder keeping the text (a dialog, docs/adr/0094) need not parse it again to check.
   */
  get isParsed(): boolean {
    return this.#parsed;
  }

  /** The URI for people and logs: any password is replaced by `****`. */
  toString(): string {
    return this.password === undefined ? this.format() : this.#formatWith('****');
  }

  [Symbol.for('nodejs.util.inspect.custom')](): string {
    return `SipUri <${this.toString()}>`;
  }

  #formatWith(password: string | undefined): string {
    let out = `${this.scheme}:`;
    if (this.user !== undefined) {
      out += this.rawUser!;
      if (password !== undefined) out += `:${password}`;
      out += '@';
    }
    out += this.host;
    if (this.port !== undefined) out += `:${this.port}`;
    for (const [name, value] of this.params) {
      out += `;${percentEncode(name, PARAM_CHARS)}`;
      if (value !== null) out += `=${percentEncode(value, PARAM_CHARS)}`;
    }
    let sep = '?';
    for (const [name, value] of this.headers) {
      out += `${sep}${percentEncode(name, HEADER_CHARS)}=${percentEncode(value, HEADER_CHARS)}`;
      sep = '&';
    }
    return out;
  }
}

type UriFields = [
  scheme: 'sip' | 'sips',
  user: string | undefined,
  password: string | undefined,
  host: string,
  port: number | undefined,
  params: ReadonlyParams,
  headers: ReadonlyArray<readonly [string, string]>,
];

function fromInit(init: SipUriInit): UriFields {
  const scheme = init.scheme ?? 'sip';
  if (scheme !== 'sip' && scheme !== 'sips') {
    throw new SipMessageError('SIP_URI_INVALID', 'A SIP URI scheme must be "sip" or "sips".');
  }
  if (init.user !== undefined && init.user.length === 0) {
    throw new SipMessageError('SIP_URI_INVALID', 'A SIP URI user must not be empty; omit it instead.');
  }
  const port = init.port;
  if (port !== undefined && !(Number.isInteger(port) && port >= 0 && port <= 65535)) {
    throw new SipMessageError('SIP_VALUE_OUT_OF_RANGE', 'A SIP URI port must be an integer from 0 to 65535.');
  }
  const params = new GenericParams();
  for (const [name, value] of init.params ?? []) {
    if (name.length === 0) throw new SipMessageError('SIP_PARAM_INVALID', 'A URI parameter needs a name.');
    params.setUnchecked(name, value);
  }
  const headers = Object.freeze([...(init.headers ?? [])].map(([n, v]) => Object.freeze([n, v] as const)));
  return [scheme, init.user, init.password, normalizeHostInput(init.host), port, params, headers];
}

function normalizeHostInput(host: string): string {
  host = bracketHost(host);
  const ok = host.startsWith('[')
    ? /^\[[0-9a-fA-F:.]+\]$/.test(host)
    : host.length > 0 && scanClass(host, 0, HOST) === host.length;
  if (!ok)
    throw new SipMessageError('SIP_URI_INVALID', 'A SIP URI host must be a hostname or an IP address.');
  return host;
}

function uriError(problem: string): SipParseError {
  return new SipParseError('SIP_URI_MALFORMED', `malformed URI: ${problem}`);
}

/**
 * Parses the part of a SIP URI after `scheme:` in [start, end). Exposed for the header grammars, which find
 * where a URI ends (at `>`, or at `;`/`,` for an addr-spec) before handing it over.
 */
export function parseSipUriBody(text: string, scheme: 'sip' | 'sips', start: number, end: number): SipUri {
  let i = start;
  let rawUser: string | undefined;
  let rawPassword: string | undefined;
  // '@' cannot appear unescaped in the host, parameters or headers of a valid URI, so the first one ends the
  // userinfo. The userinfo itself may hold ';', '?' and ':' (RFC 4475 `semiuri`, `intmeth`).
  const at = indexWithin(text, 0x40, start, end);
  if (at >= 0) {
    let colon = indexWithin(text, 0x3a, start, at);
    if (colon < 0) colon = at;
    if (scanEscaped(text, start, colon, USER_CHARS) !== colon || colon === start) {
      throw uriError('the user part is empty or has characters that must be escaped');
    }
    rawUser = text.slice(start, colon);
    if (colon < at) {
      if (scanEscaped(text, colon + 1, at, PASSWORD_CHARS) !== at) {
        throw uriError('the password has characters that must be escaped');
      }
      rawPassword = text.slice(colon + 1, at);
    }
    i = at + 1;
  }

  let host: string;
  if (text.charCodeAt(i) === 0x5b) {
    const close = indexWithin(text, 0x5d, i, end);
    if (close < 0 || !/^[0-9a-fA-F:.]+$/.test(text.slice(i + 1, close))) {
      throw uriError('the IPv6 reference is malformed');
    }
    host = text.slice(i, close + 1);
    i = close + 1;
  } else {
    const hostEnd = scanClass(text, i, HOST, end);
    if (hostEnd === i) throw uriError('the host is missing');
    host = text.slice(i, hostEnd);
    i = hostEnd;
  }

  let port: number | undefined;
  if (i < end && text.charCodeAt(i) === 0x3a) {
    let j = i + 1;
    let value = 0;
    while (j < end) {
      const d = text.charCodeAt(j) - 0x30;
      if (d < 0 || d > 9) break;
      value = value * 10 + d;
      if (value > 65535) throw uriError('the port is larger than 65535');
      j++;
    }
    if (j === i + 1) throw uriError('the port is empty');
    port = value;
    i = j;
  }

  let params = NO_PARAMS;
  if (i < end && text.charCodeAt(i) === 0x3b) params = new GenericParams();
  while (i < end && text.charCodeAt(i) === 0x3b) {
    const nameEnd = scanEscaped(text, i + 1, end, PARAM_CHARS);
    if (nameEnd === i + 1) throw uriError('a URI parameter is empty');
    const name = percentDecode(text.slice(i + 1, nameEnd));
    i = nameEnd;
    let value: ParamValue = null;
    if (i < end && text.charCodeAt(i) === 0x3d) {
      const valueEnd = scanEscaped(text, i + 1, end, PARAM_CHARS);
      if (valueEnd === i + 1) throw uriError('a URI parameter has "=" but no value');
      value = percentDecode(text.slice(i + 1, valueEnd));
      i = valueEnd;
    }
    (params as GenericParams).appendParsed(name, value);
  }

  let headers = NO_HEADERS;
  if (i < end && text.charCodeAt(i) === 0x3f) {
    const list: Array<readonly [string, string]> = [];
    headers = list;
    do {
      const nameEnd = scanEscaped(text, i + 1, end, HEADER_CHARS);
      if (nameEnd === i + 1 || text.charCodeAt(nameEnd) !== 0x3d) throw uriError('a URI header is malformed');
      const valueEnd = scanEscaped(text, nameEnd + 1, end, HEADER_CHARS);
      list.push([
        percentDecode(text.slice(i + 1, nameEnd)),
        percentDecode(text.slice(nameEnd + 1, valueEnd)),
      ]);
      i = valueEnd;
    } while (i < end && text.charCodeAt(i) === 0x26);
  }

  if (i !== end) throw uriError('unexpected character');
  const raw =
    start === scheme.length + 1 && end === text.length ? text : text.slice(start - scheme.length - 1, end);
  return new SipUri(undefined, fromParser, scheme, host, port, params, headers, raw, rawUser, rawPassword);
}
