// The Reason header (RFC 3326): why a request (usually BYE or CANCEL) was sent, e.g.
// `Reason: SIP ;cause=200 ;text="Call completed elsewhere"` or `Reason: Q.850;cause=16`. The hangup-cause
// extraction reads it.

import { GenericParams, parseParams } from './generic-params.js';
import type { HeaderGrammar } from './header-field.js';
import {
  isToken,
  parseCommaList,
  parseDigits,
  quote,
  scanToken,
  skipWs,
  syntaxError,
  unquote,
} from './sip-lexer.js';
import { SipMessageError } from './sip-message-error.js';

export interface ReasonInit {
  /** `SIP`, `Q.850` or another registered protocol token. */
  readonly protocol: string;
  readonly cause?: number;
  readonly text?: string;
}

export class ReasonValue {
  readonly protocol: string;
  readonly params: GenericParams;

  constructor(init: ReasonInit | { protocol: string; params: GenericParams }) {
    if (!isToken(init.protocol)) {
      throw new SipMessageError('SIP_HEADER_VALUE_INVALID', 'A Reason protocol must be a token.');
    }
    this.protocol = init.protocol;
    if ('params' in init) {
      this.params = init.params;
      return;
    }
    this.params = new GenericParams();
    if (init.cause !== undefined) this.params.set('cause', String(init.cause));
    if (init.text !== undefined) this.params.set('text', quote(init.text));
  }

  /** The cause code (a SIP status or a Q.850 cause), or undefined when absent or not a number. */
  get cause(): number | undefined {
    const value = this.params.get('cause');
    if (typeof value !== 'string') return undefined;
    const n = parseDigits(value, 0, value.length, 0xffff);
    return n < 0 ? undefined : n;
  }

  /** The text parameter without quotes. */
  get text(): string | undefined {
    const value = this.params.get('text');
    return typeof value === 'string' ? unquote(value) : undefined;
  }

  toString(): string {
    return `${this.protocol}${this.params.toString()}`;
  }
}

function parseOneReason(text: string, index: number): [ReasonValue, number] {
  const start = skipWs(text, index);
  const protocolEnd = scanToken(text, start);
  if (protocolEnd === start) throw syntaxError('missing protocol');
  const params = new GenericParams();
  const end = parseParams(text, protocolEnd, text.length, params);
  return [new ReasonValue({ protocol: text.slice(start, protocolEnd), params }), end];
}

export function parseReasonList(text: string): ReasonValue[] {
  return parseCommaList(text, parseOneReason);
}

export const REASON_GRAMMAR: HeaderGrammar<ReasonValue[]> = {
  parse: parseReasonList,
  format: (values) => values.map(String).join(', '),
};
