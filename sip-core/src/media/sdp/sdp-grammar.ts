import { SdpLineError } from './sdp-parse-error.js';
import {
  type MediaDescription,
  type MediaDirection,
  type Mutable,
  type SdpCommonFields,
  SdpCrypto,
  type SessionDescription,
} from './session-description.js';

// The SDP grammar as a table of line rules (the sdp-transform habit): each rule knows how to read its line into the
// model and how to write it back. The tables are in RFC 4566 order, which is the order the writer emits. The parser
// and the writer are generic loops over these tables; adding a line or an attribute is adding a row.

type Target<T> = Mutable<T>;

/** A rule for one line type (the letter before '='). */
export interface LineRule<T> {
  readonly type: string;
  parse(value: string, target: Target<T>): void;
  /** The values of the lines to write (without the `x=` prefix). */
  write(source: T): readonly string[];
}

/** A rule for one attribute name (`a=name[:value]`). */
export interface AttributeRule<T> {
  readonly name: string;
  parse(value: string | undefined, target: Target<T>): void;
  write(source: T): readonly string[];
}

const TOKEN = /^\S+$/;
const DIGITS = /^\d+$/;

function fail(reason: string): never {
  throw new SdpLineError(reason);
}

function fields(value: string, count: number, what: string): string[] {
  const parts = value.trim().split(/\s+/);
  if (parts.length !== count || parts.some((p) => p === '')) {
    fail(`${what} needs ${count} fields separated by spaces`);
  }
  return parts;
}

function integer(text: string | undefined, what: string, max: number): number {
  if (text === undefined || !DIGITS.test(text)) fail(`${what} must be a whole number`);
  const value = Number(text);
  if (value > max) fail(`${what} must be at most ${max}`);
  return value;
}

function milliseconds(text: string | undefined, what: string): number {
  if (text === undefined || !/^\d+(\.\d+)?$/.test(text.trim())) {
    fail(`${what} must be a number of milliseconds`);
  }
  return Number(text.trim());
}

function payloadType(text: string | undefined): number {
  return integer(text, 'the payload type', 127);
}

function once<T>(current: T | undefined, what: string): void {
  if (current !== undefined) fail(`a second ${what} line at the same level`);
}

// --- Lines shared by the session and media levels -------------------------------------------------------------

const informationRule: LineRule<SdpCommonFields> = {
  type: 'i',
  parse(value, target) {
    once(target.information, 'i=');
    target.information = value;
  },
  write: (source) => (source.information === undefined ? [] : [source.information]),
};

const connectionRule: LineRule<SdpCommonFields> = {
  type: 'c',
  parse(value, target) {
    once(target.connection, 'c=');
    const [netType, addrType, spec] = fields(value, 3, 'c=');
    const [address, first, second] = spec.split('/');
    if (!address) fail('c= has an empty address');
    // IP4 multicast is address/ttl[/count]; IP6 multicast has no TTL: address[/count] (RFC 4566 §5.7).
    const ip6 = addrType === 'IP6';
    target.connection = {
      netType: netType,
      addrType: addrType,
      address,
      ttl: !ip6 && first !== undefined ? integer(first, 'the c= TTL', 255) : undefined,
      addressCount: integer2(ip6 ? first : second),
    };
  },
  write(source) {
    const c = source.connection;
    if (!c) return [];
    const suffix =
      (c.ttl === undefined ? '' : `/${c.ttl}`) + (c.addressCount === undefined ? '' : `/${c.addressCount}`);
    return [`${c.netType} ${c.addrType} ${c.address}${suffix}`];
  },
};

function integer2(text: string | undefined): number | undefined {
  return text === undefined ? undefined : integer(text, 'the c= address count', 0xffff);
}

const bandwidthRule: LineRule<SdpCommonFields> = {
  type: 'b',
  parse(value, target) {
    const match = /^([\w.-]+):(\d+)$/.exec(value.trim());
    if (!match) fail('b= must be <type>:<kilobits>');
    target.bandwidths.push({ type: match[1], value: Number(match[2]) });
  },
  write: (source) => source.bandwidths.map((b) => `${b.type}:${b.value}`),
};

const keyRule: LineRule<SdpCommonFields> = {
  type: 'k',
  parse(value, target) {
    target.encryptionKey = value;
  },
  write: (source) => (source.encryptionKey === undefined ? [] : [source.encryptionKey]),
};

// --- Session-level lines -----------------------------------------------------------------------------------------

export const SESSION_LINE_RULES: readonly LineRule<SessionDescription>[] = [
  {
    type: 'v',
    parse(value) {
      if (value.trim() !== '0') fail('only SDP version 0 exists');
    },
    write: () => ['0'],
  },
  {
    type: 'o',
    parse(value, target) {
      const [username, sessionId, sessionVersion, netType, addrType, address] = fields(value, 6, 'o=');
      if (!DIGITS.test(sessionVersion)) fail('the o= session version must be a whole number');
      target.origin = {
        username: username,
        sessionId: sessionId,
        sessionVersion,
        netType: netType,
        addrType: addrType,
        address: address,
      };
    },
    write: (s) => [
      `${s.origin.username} ${s.origin.sessionId} ${s.origin.sessionVersion} ${s.origin.netType} ${s.origin.addrType} ${s.origin.address}`,
    ],
  },
  {
    type: 's',
    parse(value, target) {
      target.sessionName = value;
    },
    // RFC 4566 §5.3: s= may not be empty; a single space stands for "no name".
    write: (s) => [s.sessionName === '' ? ' ' : s.sessionName],
  },
  informationRule,
  {
    type: 'u',
    parse(value, target) {
      target.uri = value;
    },
    write: (s) => (s.uri === undefined ? [] : [s.uri]),
  },
  {
    type: 'e',
    parse(value, target) {
      target.emails.push(value);
    },
    write: (s) => s.emails,
  },
  {
    type: 'p',
    parse(value, target) {
      target.phones.push(value);
    },
    write: (s) => s.phones,
  },
  connectionRule,
  bandwidthRule,
  {
    type: 't',
    parse(value, target) {
      const [start, stop] = fields(value, 2, 't=');
      if (!DIGITS.test(start) || !DIGITS.test(stop)) fail('t= start and stop must be whole numbers');
      target.timing.push({ start: start, stop: stop, repeats: [] });
    },
    write: (s) => s.timing.map((t) => `${t.start} ${t.stop}`),
  },
  {
    type: 'r',
    parse(value, target) {
      const last = target.timing.at(-1);
      if (!last) fail('r= must follow a t= line');
      (last.repeats as string[]).push(value);
    },
    // Written with their t= line by the writer.
    write: () => [],
  },
  {
    type: 'z',
    parse(value, target) {
      target.timeZones = value;
    },
    write: (s) => (s.timeZones === undefined ? [] : [s.timeZones]),
  },
  keyRule,
];

// --- Media-level lines -------------------------------------------------------------------------------------------

/** The m= line itself; parsed by the parser when it opens a media section. */
export const MEDIA_LINE_RULE: LineRule<MediaDescription> = {
  type: 'm',
  parse(value, target) {
    const match = /^(\S+)\s+(\d+)(?:\/(\d+))?\s+(\S+)(?:\s+(.*))?$/.exec(value.trim());
    if (!match) fail('m= must be <media> <port>[/<count>] <proto> <format> …');
    target.media = match[1]!;
    target.port = integer(match[2], 'the m= port', 65535);
    target.portCount = match[3] === undefined ? undefined : integer(match[3], 'the m= port count', 65535);
    target.proto = match[4]!;
    target.formats = match[5] === undefined ? [] : match[5].trim().split(/\s+/);
  },
  write: (m) => [
    `${m.media} ${m.port}${m.portCount === undefined ? '' : `/${m.portCount}`} ${m.proto} ${m.formats.join(' ')}`.trimEnd(),
  ],
};

export const MEDIA_LINE_RULES: readonly LineRule<MediaDescription>[] = [
  MEDIA_LINE_RULE,
  informationRule,
  connectionRule,
  bandwidthRule,
  keyRule,
];

// --- Attributes --------------------------------------------------------------------------------------------------

const DIRECTIONS: readonly MediaDirection[] = ['sendrecv', 'sendonly', 'recvonly', 'inactive'];

function directionRule(direction: MediaDirection): AttributeRule<SdpCommonFields> {
  return {
    name: direction,
    parse(_value, target) {
      if (target.direction !== undefined && target.direction !== direction) {
        fail(`a=${direction} contradicts a=${target.direction} at the same level`);
      }
      target.direction = direction;
    },
    write: (source) => (source.direction === direction ? [direction] : []),
  };
}

const DIRECTION_RULES = DIRECTIONS.map(directionRule);

export const SESSION_ATTRIBUTE_RULES: readonly AttributeRule<SessionDescription>[] = DIRECTION_RULES;

export const MEDIA_ATTRIBUTE_RULES: readonly AttributeRule<MediaDescription>[] = [
  {
    name: 'rtpmap',
    parse(value, target) {
      const match = /^(\d+)\s+([^/\s]+)\/(\d+)(?:\/(\d+))?$/.exec(value?.trim() ?? '');
      if (!match) fail('a=rtpmap must be <payload type> <encoding name>/<clock rate>[/<channels>]');
      target.rtpmaps.push({
        payloadType: payloadType(match[1]),
        encodingName: match[2],
        clockRateHz: integer(match[3], 'the clock rate', 0xffff_ffff),
        channels: match[4] === undefined ? undefined : integer(match[4], 'the channel count', 255),
      });
    },
    // Each rtpmap is followed by the fmtp of the same payload type, the way most stacks write them.
    write: (m) =>
      m.rtpmaps.flatMap((r) => [
        `rtpmap:${r.payloadType} ${r.encodingName}/${r.clockRateHz}${r.channels === undefined ? '' : `/${r.channels}`}`,
        ...m.fmtps
          .filter((f) => f.payloadType === r.payloadType)
          .map((f) => `fmtp:${f.payloadType} ${f.parameters}`),
      ]),
  },
  {
    name: 'fmtp',
    parse(value, target) {
      const match = /^(\d+)(?:\s+(.*))?$/.exec(value?.trim() ?? '');
      if (!match) fail('a=fmtp must be <payload type> <parameters>');
      target.fmtps.push({ payloadType: payloadType(match[1]), parameters: match[2] ?? '' });
    },
    // Only the fmtps without an rtpmap (static payload types); the others went out with their rtpmap.
    write: (m) =>
      m.fmtps
        .filter((f) => !m.rtpmaps.some((r) => r.payloadType === f.payloadType))
        .map((f) => `fmtp:${f.payloadType} ${f.parameters}`),
  },
  {
    name: 'ptime',
    parse(value, target) {
      once(target.ptimeMs, 'a=ptime');
      target.ptimeMs = milliseconds(value, 'a=ptime');
    },
    write: (m) => (m.ptimeMs === undefined ? [] : [`ptime:${m.ptimeMs}`]),
  },
  {
    name: 'maxptime',
    parse(value, target) {
      once(target.maxptimeMs, 'a=maxptime');
      target.maxptimeMs = milliseconds(value, 'a=maxptime');
    },
    write: (m) => (m.maxptimeMs === undefined ? [] : [`maxptime:${m.maxptimeMs}`]),
  },
  ...DIRECTION_RULES,
  {
    name: 'rtcp',
    parse(value, target) {
      once(target.rtcp, 'a=rtcp');
      const match = /^(\d+)(?:\s+(\S+)\s+(\S+)\s+(\S+))?$/.exec(value?.trim() ?? '');
      if (!match) fail('a=rtcp must be <port> [<nettype> <addrtype> <address>]');
      target.rtcp = {
        port: integer(match[1], 'the a=rtcp port', 65535),
        netType: match[2],
        addrType: match[3],
        address: match[4],
      };
    },
    write: (m) =>
      m.rtcp === undefined
        ? []
        : [
            `rtcp:${m.rtcp.port}${m.rtcp.address === undefined ? '' : ` ${m.rtcp.netType} ${m.rtcp.addrType} ${m.rtcp.address}`}`,
          ],
  },
  {
    name: 'rtcp-mux',
    parse(_value, target) {
      target.rtcpMux = true;
    },
    write: (m) => (m.rtcpMux ? ['rtcp-mux'] : []),
  },
  {
    name: 'crypto',
    parse(value, target) {
      const parts = value?.trim().split(/\s+/) ?? [];
      if (parts.length < 3 || !parts.every((p) => TOKEN.test(p))) {
        fail('a=crypto must be <tag> <crypto-suite> <key-params> [<session-params>]');
      }
      const tag = integer(parts[0], 'the crypto tag', 999_999_999);
      if (target.cryptos.some((c) => c.tag === tag)) {
        fail(`crypto tag ${tag} appears twice in one media section`);
      }
      target.cryptos.push(new SdpCrypto(tag, parts[1], parts[2], parts.slice(3)));
    },
    write: (m) => m.cryptos.map((c) => `crypto:${c.toValue()}`),
  },
];

function indexByName<R extends { readonly name: string }>(rules: readonly R[]): ReadonlyMap<string, R> {
  return new Map(rules.map((rule) => [rule.name, rule]));
}

export const SESSION_ATTRIBUTES = indexByName(SESSION_ATTRIBUTE_RULES);
export const MEDIA_ATTRIBUTES = indexByName(MEDIA_ATTRIBUTE_RULES);
