// The Via header (RFC 3261 §20.42, §18.2.1, RFC 3581): the path a request took and the way back for its
// responses. Transports stamp `received`/`rport` on the top value of a request they receive; the transaction
// layer reads `branch` and sent-by to match transactions.
//
//   Via: SIP / 2.0 / UDP  host.example.com:5060 ;branch=z9hG4bK776asdhds ;rport ;received=192.0.2.1
//        └─ sent-protocol ─┘ └──── sent-by ────┘ └──────────────── via-params ─────────────────┘

import { GenericParams, type ParamValue, parseParams } from './generic-params.js';
import type { HeaderGrammar } from './header-field.js';
import { HeaderValue } from './header-value.js';
import { canonicalIpv6, isIpv4 } from './ip-address.js';
import {
  CharClass,
  isToken,
  parseCommaList,
  parseDigits,
  scanClass,
  scanToken,
  skipWs,
  syntaxError,
} from './sip-lexer.js';
import { SipMessageError } from './sip-message-error.js';
import { bracketHost } from '../../common/host-port.js';

/** The branch prefix of RFC 3261 §8.1.1.7: a branch starting with it was built to be globally unique. */
export const MAGIC_COOKIE = 'z9hG4bK';

export interface ViaInit {
  /** `UDP`, `TCP`, `TLS`, `SCTP`, `WS`… (RFC 3261 §20.42; any token parses). */
  readonly transport: string;
  readonly host: string;
  readonly port?: number;
  readonly branch?: string;
  /** RFC 3581: `null` asks for the source port (`;rport`), a number records it (`;rport=5060`). */
  readonly rport?: number | null;
  readonly received?: string;
  /** Further parameters, in order, after branch/rport/received. */
  readonly params?: Iterable<readonly [name: string, value: ParamValue]>;
}

interface ViaParts {
  protocolName: string;
  protocolVersion: string;
  transport: string;
  host: string;
  port: number | undefined;
}

const fromParser = Symbol('fromParser');

export class Via extends HeaderValue {
  #parts: ViaParts;
  /** Every via-param in order; changing them re-serialises the header. */
  readonly params: GenericParams;

  constructor(init: ViaInit);
  /** @internal */
  constructor(init: ViaParts, token: typeof fromParser, text: string, params: GenericParams);
  constructor(init: ViaInit | ViaParts, token?: typeof fromParser, text?: string, params?: GenericParams) {
    super(token === fromParser ? text : undefined);
    if (token === fromParser) {
      this.#parts = init as ViaParts;
      this.params = params!;
      this.params.bindOwner(this);
      return;
    }
    const v = init as ViaInit;
    if (!isToken(v.transport))
      throw new SipMessageError('SIP_HEADER_VALUE_INVALID', 'A Via transport must be a token.');
    this.#parts = {
      protocolName: 'SIP',
      protocolVersion: '2.0',
      transport: v.transport,
      host: checkHost(v.host),
      port: checkPort(v.port, 'Via port'),
    };
    this.params = new GenericParams(undefined, this);
    if (v.branch !== undefined) this.branch = v.branch;
    if (v.rport !== undefined) this.rport = v.rport;
    if (v.received !== undefined) this.received = v.received;
    for (const [name, value] of v.params ?? []) this.params.set(name, value);
  }

  /** `SIP` in every message this stack accepts. */
  get protocolName(): string {
    return this.#parts.protocolName;
  }

  get protocolVersion(): string {
    return this.#parts.protocolVersion;
  }

  /** The transport as written (`UDP`, `tcp`…); compare it case-insensitively. */
  get transport(): string {
    return this.#parts.transport;
  }

  set transport(value: string) {
    if (!isToken(value))
      throw new SipMessageError('SIP_HEADER_VALUE_INVALID', 'A Via transport must be a token.');
    this.#parts.transport = value;
    this.changed();
  }

  /** The sent-by host: a hostname, an IPv4 address or an IPv6 reference with brackets. */
  get host(): string {
    return this.#parts.host;
  }

  set host(value: string) {
    this.#parts.host = checkHost(value);
    this.changed();
  }

  get port(): number | undefined {
    return this.#parts.port;
  }

  set port(value: number | undefined) {
    this.#parts.port = checkPort(value, 'Via port');
    this.changed();
  }

  /** `host[:port]` as one string, the sent-by of RFC 3261 §18.2.2 and §17.2.3. */
  get sentBy(): string {
    const { host, port } = this.#parts;
    return port === undefined ? host : `${host}:${port}`;
  }

  get branch(): string | undefined {
    return this.params.get('branch') ?? undefined;
  }

  set branch(value: string | undefined) {
    if (value === undefined) this.params.delete('branch');
    else if (!isToken(value)) throw new SipMessageError('SIP_PARAM_INVALID', 'A Via branch must be a token.');
    else this.params.setUnchecked('branch', value);
  }

  /** The address the request really came from (RFC 3261 §18.2.1). */
  get received(): string | undefined {
    return this.params.get('received') ?? undefined;
  }

  set received(value: string | undefined) {
    if (value === undefined) this.params.delete('received');
    else if (!isIpv4(value) && canonicalIpv6(value) === undefined) {
      throw new SipMessageError('SIP_PARAM_INVALID', 'Via received must be an IPv4 or IPv6 address.');
    } else this.params.setUnchecked('received', value);
  }

  /**
   * RFC 3581 rport: `undefined` when absent, `null` when present without a value (the client asks for it), or
   * the source port a server recorded.
   */
  get rport(): number | null | undefined {
    const value = this.params.get('rport');
    if (value === undefined || value === null) return value;
    return Number(value);
  }

  set rport(value: number | null | undefined) {
    if (value === undefined) this.params.delete('rport');
    else this.params.setUnchecked('rport', value === null ? null : String(checkPort(value, 'Via rport')));
  }

  get maddr(): string | undefined {
    return this.params.get('maddr') ?? undefined;
  }

  get ttl(): number | undefined {
    const value = this.params.get('ttl');
    return typeof value === 'string' ? Number(value) : undefined;
  }

  /** Whether the branch carries the RFC 3261 magic cookie (else RFC 2543 matching applies, §17.2.3). */
  get hasRfc3261Branch(): boolean {
    const branch = this.branch;
    return branch !== undefined && branch.startsWith(MAGIC_COOKIE) && branch.length > MAGIC_COOKIE.length;
  }

  protected formatValue(): string {
    const p = this.#parts;
    return `${p.protocolName}/${p.protocolVersion}/${p.transport} ${this.sentBy}${this.params.toString()}`;
  }
}

function checkHost(host: string): string {
  host = bracketHost(host);
  const ok = host.startsWith('[')
    ? canonicalIpv6(host) !== undefined
    : host.length > 0 && scanClass(host, 0, CharClass.HOST) === host.length;
  if (!ok)
    throw new SipMessageError('SIP_HEADER_VALUE_INVALID', 'A Via host must be a hostname or IP address.');
  return host;
}

function checkPort(port: number | undefined, what: string): number | undefined {
  if (port === undefined) return undefined;
  if (!Number.isInteger(port) || port < 0 || port > 65535) {
    throw new SipMessageError('SIP_VALUE_OUT_OF_RANGE', `${what} must be an integer from 0 to 65535.`);
  }
  return port;
}

/** Expects `/` with optional white space around it (RFC 3261 §25.1 SLASH = SWS "/" SWS). */
function expectSlash(text: string, index: number, end: number): number {
  const i = skipWs(text, index, end);
  if (text.charCodeAt(i) !== 0x2f) throw syntaxError('sent-protocol needs "SIP/2.0/transport"');
  return skipWs(text, i + 1, end);
}

function readToken(text: string, index: number, end: number, what: string): number {
  const stop = scanToken(text, index, end);
  if (stop === index) throw syntaxError(`missing ${what}`);
  return stop;
}

/** Parses one via-parm starting at `index`; returns the Via and the index after it. */
function parseOneVia(text: string, index: number): [Via, number] {
  const end = text.length;
  const start = skipWs(text, index, end);
  const nameEnd = readToken(text, start, end, 'protocol name');
  const versionStart = expectSlash(text, nameEnd, end);
  const versionEnd = readToken(text, versionStart, end, 'protocol version');
  const transportStart = expectSlash(text, versionEnd, end);
  const transportEnd = readToken(text, transportStart, end, 'transport');
  const hostStart = skipWs(text, transportEnd, end);
  if (hostStart === transportEnd) throw syntaxError('missing white space before sent-by');
  let i: number;
  if (text.charCodeAt(hostStart) === 0x5b) {
    const close = text.indexOf(']', hostStart);
    if (close < 0 || close >= end || canonicalIpv6(text.slice(hostStart, close + 1)) === undefined) {
      throw syntaxError('malformed IPv6 reference in sent-by');
    }
    i = close + 1;
  } else {
    i = scanClass(text, hostStart, CharClass.HOST, end);
    if (i === hostStart) throw syntaxError('missing sent-by host');
  }
  const host = text.slice(hostStart, i);
  let port: number | undefined;
  const afterHost = skipWs(text, i, end);
  if (afterHost < end && text.charCodeAt(afterHost) === 0x3a) {
    const portStart = skipWs(text, afterHost + 1, end);
    let portEnd = portStart;
    while (portEnd < end && text.charCodeAt(portEnd) >= 0x30 && text.charCodeAt(portEnd) <= 0x39) portEnd++;
    const value = parseDigits(text, portStart, portEnd, 65535);
    if (value < 0) throw syntaxError('sent-by port is missing or larger than 65535');
    port = value;
    i = portEnd;
  }
  const params = new GenericParams();
  i = parseParams(text, i, end, params);
  checkViaParams(params);
  const via = new Via(
    {
      protocolName: text.slice(start, nameEnd),
      protocolVersion: text.slice(versionStart, versionEnd),
      transport: text.slice(transportStart, transportEnd),
      host,
      port,
    },
    fromParser,
    text.slice(start, i),
    params,
  );
  return [via, i];
}

function checkViaParams(params: GenericParams): void {
  const rport = params.get('rport');
  if (typeof rport === 'string' && parseDigits(rport, 0, rport.length, 65535) < 0) {
    throw syntaxError('rport is not a port number');
  }
  const ttl = params.get('ttl');
  if (ttl === null || (typeof ttl === 'string' && parseDigits(ttl, 0, ttl.length, 255) < 0)) {
    throw syntaxError('ttl is not a number from 0 to 255');
  }
  if (params.get('branch') === null) throw syntaxError('branch has no value');
}

/** Parses a Via field value: one or more via-parms separated by commas. */
export function parseViaList(text: string): Via[] {
  return parseCommaList(text, parseOneVia);
}

export const VIA_GRAMMAR: HeaderGrammar<Via[]> = {
  parse: parseViaList,
  format: (vias) => vias.map(String).join(', '),
};
