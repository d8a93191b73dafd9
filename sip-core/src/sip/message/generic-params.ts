// Parameters after a header value or a URI: `;name=value`, `;name` (no value), in order of appearance. Names
// compare case-insensitively (RFC 3261 §7.3.1). Header parameter values are kept exactly as received, quotes
// included, so that serialising an unchanged value reproduces it; URI parameter values are stored decoded
// and re-escaped by the URI when it is written.

import type { ChangeListener } from './header-value.js';
import { isToken, isTokenChar, scanQuotedString, scanToken, skipWs, syntaxError } from './sip-lexer.js';
import { SipMessageError } from './sip-message-error.js';

/** A parameter value: a string, or `null` for a parameter present without a value (`;lr`, `;rport`). */
export type ParamValue = string | null;

interface ParamEntry {
  readonly name: string;
  readonly key: string;
  value: ParamValue;
}

/** Read access to parameters; what URIs (immutable values) expose. */
export interface ReadonlyParams extends Iterable<[name: string, value: ParamValue]> {
  readonly size: number;
  has(name: string): boolean;
  /** The value (`null` when valueless), or `undefined` when absent. */
  get(name: string): ParamValue | undefined;
}

export class GenericParams implements ReadonlyParams {
  #entries: ParamEntry[] = [];
  #owner: ChangeListener | undefined;

  constructor(entries?: Iterable<readonly [name: string, value: ParamValue]>, owner?: ChangeListener) {
    if (entries) for (const [name, value] of entries) this.set(name, value);
    this.#owner = owner;
  }

  /** @internal Called by the owning header value so that a change re-serialises it. */
  bindOwner(owner: ChangeListener): void {
    this.#owner = owner;
  }

  get size(): number {
    return this.#entries.length;
  }

  has(name: string): boolean {
    return this.#find(name) !== undefined;
  }

  get(name: string): ParamValue | undefined {
    return this.#find(name)?.value;
  }

  /**
   * Sets a parameter, keeping its position when it exists. `value` is a token, a host, a quoted string (with
   * its quotes) or `null` for a valueless parameter.
   */
  set(name: string, value: ParamValue): this {
    if (!isToken(name))
      throw new SipMessageError('SIP_PARAM_INVALID', 'A parameter name must be a SIP token.');
    if (value !== null && !isParamValue(value)) {
      throw new SipMessageError(
        'SIP_PARAM_INVALID',
        `The value of parameter "${name}" must be a token, a host or a quoted string.`,
      );
    }
    this.setUnchecked(name, value);
    return this;
  }

  /** @internal Set without validation, for parsers that already validated and for decoded URI values. */
  setUnchecked(name: string, value: ParamValue): void {
    const found = this.#find(name);
    if (found) found.value = value;
    else this.#entries.push({ name, key: name.toLowerCase(), value });
    this.#owner?.onValueChanged();
  }

  /** @internal Append during parsing: no lookup, no change notification. */
  appendParsed(name: string, value: ParamValue): void {
    this.#entries.push({ name, key: name.toLowerCase(), value });
  }

  delete(name: string): boolean {
    const key = name.toLowerCase();
    const index = this.#entries.findIndex((e) => e.key === key);
    if (index < 0) return false;
    this.#entries.splice(index, 1);
    this.#owner?.onValueChanged();
    return true;
  }

  *[Symbol.iterator](): Iterator<[name: string, value: ParamValue]> {
    for (const e of this.#entries) yield [e.name, e.value];
  }

  /** `;name=value;flag` as written in a header. */
  toString(): string {
    let out = '';
    for (const e of this.#entries) out += e.value === null ? `;${e.name}` : `;${e.name}=${e.value}`;
    return out;
  }

  #find(name: string): ParamEntry | undefined {
    const entries = this.#entries;
    for (let i = 0; i < entries.length; i++) if (entries[i].key === name) return entries[i];
    const key = name.toLowerCase();
    if (key === name) return undefined;
    for (let i = 0; i < entries.length; i++) if (entries[i].key === key) return entries[i];
    return undefined;
  }
}

function isHostOrTokenChar(code: number): boolean {
  // gen-value = token / host / quoted-string; a host adds ':' and '[' ']' (IPv6) to the token characters.
  return isTokenChar(code) || code === 0x3a || code === 0x5b || code === 0x5d;
}

function isParamValue(value: string): boolean {
  if (value.length === 0) return false;
  if (value.charCodeAt(0) === 0x22) {
    try {
      return scanQuotedString(value, 0) === value.length && !/[\r\n]/.test(value);
    } catch {
      return false;
    }
  }
  for (let i = 0; i < value.length; i++) if (!isHostOrTokenChar(value.charCodeAt(i))) return false;
  return true;
}

/**
 * Parses `*( SEMI generic-param )` from `index` into `params` and returns the index after the last one.
 * SEMI and EQUAL may be surrounded by white space (RFC 3261 §25.1; RFC 4475 `wsinv`). An empty parameter
 * (`;;`) or a `=` without a value is a syntax error (RFC 4475 `badinv01`).
 */
export function parseParams(text: string, index: number, end: number, params: GenericParams): number {
  let i = index;
  for (;;) {
    const semi = skipWs(text, i, end);
    if (semi >= end || text.charCodeAt(semi) !== 0x3b) return i;
    const nameStart = skipWs(text, semi + 1, end);
    const nameEnd = scanToken(text, nameStart, end);
    if (nameEnd === nameStart) throw syntaxError('empty parameter');
    let next = skipWs(text, nameEnd, end);
    let value: ParamValue = null;
    if (next < end && text.charCodeAt(next) === 0x3d) {
      const valueStart = skipWs(text, next + 1, end);
      let valueEnd: number;
      if (valueStart < end && text.charCodeAt(valueStart) === 0x22) {
        valueEnd = scanQuotedString(text, valueStart, end);
      } else {
        valueEnd = valueStart;
        while (valueEnd < end && isHostOrTokenChar(text.charCodeAt(valueEnd))) valueEnd++;
      }
      if (valueEnd === valueStart) throw syntaxError('parameter has "=" but no value');
      value = text.slice(valueStart, valueEnd);
      next = valueEnd;
    } else {
      next = nameEnd;
    }
    params.appendParsed(text.slice(nameStart, nameEnd), value);
    i = next;
  }
}
