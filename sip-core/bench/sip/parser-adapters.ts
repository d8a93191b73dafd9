// The three parsers under test, each wrapped the same way: parse a Buffer, read the fields a transaction layer
// needs (top Via branch and sent-by, CSeq number and method, Call-ID, From tag, To tag), and optionally
// serialise back to a Buffer. Reading the fields is what keeps lazy parsing from looking faster than it is.

import { createRequire } from 'node:module';
import * as Core from 'sip.js/lib/core/index.js';
import { parseSipMessage, serializeSipMessage } from '../../src/sip/message/index.js';

/** What every adapter extracts; the benchmark checks that all three agree before timing them. */
export interface TransactionFields {
  readonly branch: string | undefined;
  readonly sentBy: string;
  readonly cseq: number;
  readonly cseqMethod: string;
  readonly callId: string;
  readonly fromTag: string | undefined;
  readonly toTag: string | undefined;
}

export interface ParserAdapter {
  readonly name: string;
  /** A note printed under the table (what the adapter had to do to be comparable). */
  readonly note?: string;
  fields(bytes: Buffer): TransactionFields;
  /** Parse, read the fields, serialise; returns a number derived from the work so it cannot be optimised away. */
  roundTrip(bytes: Buffer): number;
}

const ours: ParserAdapter = {
  name: 'trunkline',
  fields(bytes) {
    const m = parseSipMessage(bytes);
    const via = m.topVia!;
    return {
      branch: via.branch,
      sentBy: via.sentBy,
      cseq: m.cseq!.seq,
      cseqMethod: m.cseq!.method,
      callId: m.callId!,
      fromTag: m.from!.tag,
      toTag: m.to!.tag,
    };
  },
  roundTrip(bytes) {
    const m = parseSipMessage(bytes);
    const via = m.topVia!;
    const touched = via.branch!.length + via.sentBy.length + m.cseq!.seq + m.callId!.length;
    return touched + (m.from!.tag?.length ?? 0) + (m.to!.tag?.length ?? 0) + serializeSipMessage(m).length;
  },
};

const silentLogger = {
  error: (): void => undefined,
  warn: (): void => undefined,
  log: (): void => undefined,
  debug: (): void => undefined,
};

type SipJsMessage = Core.IncomingRequestMessage | Core.IncomingResponseMessage;

function sipJsParse(bytes: Buffer): SipJsMessage {
  // sip.js parses strings; a transport has to decode the datagram first, so that is part of its cost here.
  const message = Core.Parser.parseMessage(bytes.toString('utf8'), silentLogger as unknown as Core.Logger);
  if (message === undefined) throw new Error('sip.js could not parse the benchmark message');
  return message;
}

function sipJsMethod(m: SipJsMessage): string {
  return m.method;
}

const sipJs: ParserAdapter = {
  name: 'sip.js 0.21.2',
  note: 'sip.js decodes the Buffer to a string first; its "serialise" is toString() of the received text.',
  fields(bytes) {
    const m = sipJsParse(bytes);
    const port = m.via.port;
    return {
      branch: m.viaBranch,
      sentBy: port === undefined || port === 0 ? m.via.host : `${m.via.host}:${port}`,
      cseq: m.cseq,
      cseqMethod: sipJsMethod(m),
      callId: m.callId,
      fromTag: m.fromTag,
      toTag: m.toTag,
    };
  },
  roundTrip(bytes) {
    const m = sipJsParse(bytes);
    const touched = m.viaBranch.length + m.via.host.length + m.cseq + m.callId.length + m.fromTag.length;
    return touched + (m.toTag?.length ?? 0) + Buffer.byteLength(m.toString());
  },
};

interface SipPackageMessage {
  method?: string;
  headers: {
    via: Array<{ host: string; port?: number; params: Record<string, string | null> }>;
    cseq: { seq: number; method: string };
    'call-id': string;
    from: { params: Record<string, string | null> };
    to: { params: Record<string, string | null> };
  };
}

interface SipPackage {
  parse(data: Buffer): SipPackageMessage | undefined;
  stringify(message: SipPackageMessage): string;
}

const sipPackage = createRequire(import.meta.url)('sip') as SipPackage;

function sipParse(bytes: Buffer): SipPackageMessage {
  const message = sipPackage.parse(bytes);
  if (message === undefined) throw new Error('sip could not parse the benchmark message');
  return message;
}

const sip: ParserAdapter = {
  name: 'sip 0.0.6',
  note: 'sip reads the Buffer as latin1 ("binary") and serialises from its parsed object.',
  fields(bytes) {
    const { headers } = sipParse(bytes);
    const via = headers.via[0];
    return {
      branch: via.params.branch ?? undefined,
      sentBy: via.port === undefined ? via.host : `${via.host}:${via.port}`,
      cseq: headers.cseq.seq,
      cseqMethod: headers.cseq.method,
      callId: headers['call-id'],
      fromTag: headers.from.params.tag ?? undefined,
      toTag: headers.to.params.tag ?? undefined,
    };
  },
  roundTrip(bytes) {
    const m = sipParse(bytes);
    const via = m.headers.via[0];
    const touched = (via.params.branch?.length ?? 0) + via.host.length + m.headers.cseq.seq;
    const tags = (m.headers.from.params.tag?.length ?? 0) + (m.headers.to.params.tag?.length ?? 0);
    return (
      touched + m.headers['call-id'].length + tags + Buffer.byteLength(sipPackage.stringify(m), 'latin1')
    );
  },
};

export const PARSERS: readonly ParserAdapter[] = [ours, sipJs, sip];
