import { CSEQ_GRAMMAR, type CSeq } from './cseq.js';
import { HeaderField, type HeaderGrammar } from './header-field.js';
import { canonicalHeaderName, headerKey } from './header-names.js';
import { MEDIA_TYPE_GRAMMAR, type MediaType, parseMediaType } from './media-type.js';
import { CONTACT_GRAMMAR, NAME_ADDR_GRAMMAR, NAME_ADDR_LIST_GRAMMAR, type NameAddr } from './name-addr.js';
import { REASON_GRAMMAR, type ReasonValue } from './reason.js';
import {
  CALL_ID_GRAMMAR,
  CONTENT_LENGTH_GRAMMAR,
  EXPIRES_GRAMMAR,
  isCallId,
  MAX_FORWARDS_GRAMMAR,
} from './scalar-headers.js';
import { SipHeaders } from './sip-headers.js';
import { SipMessageError } from './sip-message-error.js';
import type { SipRequest } from './sip-request.js';
import type { SipResponse } from './sip-response.js';
import { TOKEN_LIST_GRAMMAR } from './token-list.js';
import { VIA_GRAMMAR, type Via } from './via.js';

const EMPTY_BODY = Buffer.alloc(0);

/**
 * What requests and responses share: the ordered headers, the body, and typed views of the headers every layer
 * reads. Views parse on first access and are cached per header field; setters and in-place changes of the
 * returned objects keep the message serialisable (see `HeaderValue`).
 *
 * The headers needed for transactions and dialogs (Via, From, To, Call-ID, CSeq, Max-Forwards,
 * Content-Length, Contact) are validated when a message is parsed, so their views never throw on a parsed
 * message. Other views parse when first read and throw `SipParseError` if that header is malformed.
 */
export abstract class SipMessage {
  readonly headers: SipHeaders;
  /** The body bytes; the serializer writes Content-Length from its length. */
  body: Buffer;

  protected constructor(headers: SipHeaders | undefined, body: Buffer | undefined) {
    this.headers = headers ?? new SipHeaders();
    this.body = body ?? EMPTY_BODY;
  }

  abstract readonly kind: 'request' | 'response';

  /** The first line without CRLF, e.g. `INVITE sip:bob@example.com SIP/2.0` or `SIP/2.0 200 OK`. */
  abstract get startLine(): string;

  isRequest(): this is SipRequest {
    return this.kind === 'request';
  }

  isResponse(): this is SipResponse {
    return this.kind === 'response';
  }

  // ── Via ───────────────────────────────────────────────────────────────────────────────────────────────────

  /** Every Via value, top first, across all Via fields. */
  get vias(): Via[] {
    const out: Via[] = [];
    for (const field of this.headers) if (field.key === 'via') out.push(...field.parsed(VIA_GRAMMAR));
    return out;
  }

  get topVia(): Via | undefined {
    return this.headers.first('via')?.parsed(VIA_GRAMMAR)[0];
  }

  /** Adds a Via above all others, as its own field (RFC 3261 §8.1.1.7, §16.6 step 8). */
  prependVia(via: Via): void {
    const name = this.headers.first('via')?.name ?? 'Via';
    this.headers.insert(HeaderField.fromParsed(name, VIA_GRAMMAR, [via]));
  }

  /**
   * Removes the top Via value (RFC 3261 §16.7 step 3, a proxy forwarding a response; §18.1.2). When it shares
   * a field with other values, only it is removed from that field.
   */
  removeTopVia(): Via | undefined {
    const field = this.headers.first('via');
    if (field === undefined) return undefined;
    const vias = field.parsed(VIA_GRAMMAR);
    const top = vias[0];
    if (vias.length <= 1) this.headers.remove(field);
    else {
      vias.shift();
      top?.bindOwner(undefined);
      field.markChanged();
    }
    return top;
  }

  // ── Dialog and transaction identifiers ──────────────────────────────────────────────────────────────────

  get from(): NameAddr | undefined {
    return this.headers.first('from')?.parsed(NAME_ADDR_GRAMMAR);
  }

  set from(value: NameAddr) {
    this.#setParsed('from', NAME_ADDR_GRAMMAR, value);
  }

  get to(): NameAddr | undefined {
    return this.headers.first('to')?.parsed(NAME_ADDR_GRAMMAR);
  }

  set to(value: NameAddr) {
    this.#setParsed('to', NAME_ADDR_GRAMMAR, value);
  }

  get callId(): string | undefined {
    return this.headers.first('call-id')?.parsed(CALL_ID_GRAMMAR);
  }

  set callId(value: string) {
    if (!isCallId(value)) {
      throw new SipMessageError('SIP_HEADER_VALUE_INVALID', 'A Call-ID must be a word or word@word.');
    }
    this.#setParsed('call-id', CALL_ID_GRAMMAR, value);
  }

  get cseq(): CSeq | undefined {
    return this.headers.first('cseq')?.parsed(CSEQ_GRAMMAR);
  }

  set cseq(value: CSeq) {
    this.#setParsed('cseq', CSEQ_GRAMMAR, value);
  }

  get maxForwards(): number | undefined {
    return this.headers.first('max-forwards')?.parsed(MAX_FORWARDS_GRAMMAR);
  }

  set maxForwards(value: number) {
    if (!Number.isInteger(value) || value < 0 || value > 255) {
      throw new SipMessageError('SIP_VALUE_OUT_OF_RANGE', 'Max-Forwards must be an integer from 0 to 255.');
    }
    this.#setParsed('max-forwards', MAX_FORWARDS_GRAMMAR, value);
  }

  // ── Addresses ─────────────────────────────────────────────────────────────────────────────────────────────

  /** Contact values in order; empty for `Contact: *` (see `isContactWildcard`) and when absent. */
  get contacts(): NameAddr[] {
    return this.#list('contact', CONTACT_GRAMMAR);
  }

  /** Replaces every Contact; an empty list removes the header (write `Contact: *` with `headers.set`). */
  set contacts(values: NameAddr[]) {
    if (values.length === 0) this.headers.delete('contact');
    else this.#setParsed('contact', CONTACT_GRAMMAR, values.slice());
  }

  /** `Contact: *`, which only a REGISTER removing all bindings may carry (RFC 3261 §10.2.2). */
  get isContactWildcard(): boolean {
    return this.headers.first('contact')?.value.trim() === '*';
  }

  get routes(): NameAddr[] {
    return this.#list('route', NAME_ADDR_LIST_GRAMMAR);
  }

  get recordRoutes(): NameAddr[] {
    return this.#list('record-route', NAME_ADDR_LIST_GRAMMAR);
  }

  /** The first value of any single-address header (`Refer-To`, `P-Asserted-Identity`, `Reply-To`…). */
  address(name: string): NameAddr | undefined {
    return this.headers.first(headerKey(name))?.parsed(NAME_ADDR_LIST_GRAMMAR)[0];
  }

  /** Every value of any address-list header. */
  addresses(name: string): NameAddr[] {
    return this.#list(headerKey(name), NAME_ADDR_LIST_GRAMMAR);
  }

  // ── Body description ────────────────────────────────────────────────────────────────────────────────────

  /** The Content-Length header's value (the serializer writes the body's real length instead). */
  get contentLength(): number | undefined {
    return this.headers.first('content-length')?.parsed(CONTENT_LENGTH_GRAMMAR);
  }

  get contentType(): MediaType | undefined {
    return this.headers.first('content-type')?.parsed(MEDIA_TYPE_GRAMMAR);
  }

  set contentType(value: MediaType | string | undefined) {
    if (value === undefined) this.headers.delete('content-type');
    else this.#setParsed('content-type', MEDIA_TYPE_GRAMMAR, toMediaType(value));
  }

  // ── Other common headers ────────────────────────────────────────────────────────────────────────────────

  /** Expires in seconds (RFC 3261 §20.19): 3600 when malformed, at most 2^32-1. */
  get expires(): number | undefined {
    return this.headers.first('expires')?.parsed(EXPIRES_GRAMMAR);
  }

  get allow(): readonly string[] {
    return this.tokens('allow');
  }

  get supported(): readonly string[] {
    return this.tokens('supported');
  }

  get require(): readonly string[] {
    return this.tokens('require');
  }

  get proxyRequire(): readonly string[] {
    return this.tokens('proxy-require');
  }

  get unsupported(): readonly string[] {
    return this.tokens('unsupported');
  }

  /** Reason values (RFC 3326), in order. */
  get reasons(): ReasonValue[] {
    return this.#list('reason', REASON_GRAMMAR);
  }

  /** The tokens of any token-list header across all its fields (`Allow-Events`, `Accept-Encoding`…). */
  tokens(name: string): readonly string[] {
    const key = headerKey(name);
    let out: readonly string[] = [];
    for (const field of this.headers) {
      if (field.key !== key) continue;
      const tokens = field.parsed(TOKEN_LIST_GRAMMAR);
      out = out.length === 0 ? tokens : out.concat(tokens);
    }
    return out;
  }

  [Symbol.for('nodejs.util.inspect.custom')](): string {
    // Header values stay out of inspect output, and a Request-URI password is masked: they may carry
    // credentials (URI passwords, authorization data).
    let line = this.startLine;
    if (this.isRequest()) {
      let uri: string;
      try {
        uri = this.requestUri.toString();
      } catch {
        uri = '(malformed Request-URI)';
      }
      line = `${this.method} ${uri} ${this.version}`;
    }
    return `${this.constructor.name} { ${line} | ${this.headers.size} headers | ${this.body.length}-byte body }`;
  }

  #list<T>(key: string, grammar: HeaderGrammar<T[]>): T[] {
    const out: T[] = [];
    for (const field of this.headers) if (field.key === key) out.push(...field.parsed(grammar));
    return out;
  }

  #setParsed<T>(key: string, grammar: HeaderGrammar<T>, value: T): void {
    const name = this.headers.first(key)?.name ?? canonicalHeaderName(key);
    this.headers.replace(HeaderField.fromParsed(name, grammar, value));
  }
}

function toMediaType(value: MediaType | string): MediaType {
  if (typeof value !== 'string') return value;
  try {
    return parseMediaType(value);
  } catch {
    throw new SipMessageError('SIP_HEADER_VALUE_INVALID', 'A Content-Type must be "type/subtype;params".');
  }
}
