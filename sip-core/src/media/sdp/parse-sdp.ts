import {
  type AttributeRule,
  type LineRule,
  MEDIA_ATTRIBUTES,
  MEDIA_LINE_RULE,
  MEDIA_LINE_RULES,
  SESSION_ATTRIBUTES,
  SESSION_LINE_RULES,
} from './sdp-grammar.js';
import { createMediaDescription } from './create-media-description.js';
import { SdpLineError, SdpParseError } from './sdp-parse-error.js';
import type { MediaDescription, Mutable, SessionDescription } from './session-description.js';

// Parses an SDP body (RFC 4566) by looking each line up in the grammar tables. Tolerant where real stacks differ
// harmlessly (LF or CRLF, blank lines, trailing white space, repeated spaces, unknown attributes, missing t=),
// strict where a guess would change the call: an unknown line type (RFC 4566 §5 says to ignore the whole
// description), a line that does not match its rule, a second o=. Every fault is an SdpParseError naming the line.

const LINE = /^([a-z])=(.*)$/;

const SESSION_RULES = new Map(SESSION_LINE_RULES.map((r) => [r.type, r]));
const MEDIA_RULES = new Map(MEDIA_LINE_RULES.map((r) => [r.type, r]));

export function parseSdp(text: string): SessionDescription {
  const session = emptySession();
  let media: Mutable<MediaDescription> | undefined;
  let sawVersion = false;
  let sawOrigin = false;
  let sawName = false;
  const lines = text.split(/\r\n|\n|\r/);

  lines.forEach((raw, index) => {
    const lineNumber = index + 1;
    const line = raw.trimEnd();
    if (line === '') return;
    const match = LINE.exec(line);
    if (!match) {
      throw new SdpParseError('expected <type>=<value> with a lower-case type letter', lineNumber, line);
    }
    const type = match[1];
    const value = match[2];
    if (!sawVersion) {
      if (type !== 'v') throw new SdpParseError('an SDP description must start with v=0', lineNumber, line);
      sawVersion = true;
    } else if (type === 'v') {
      throw new SdpParseError('a second v= line (one SDP body holds one description)', lineNumber, line);
    }
    if (type === 'o') {
      if (sawOrigin) throw new SdpParseError('a second o= line', lineNumber, line);
      if (media) throw new SdpParseError('o= must come before the first m= line', lineNumber, line);
      sawOrigin = true;
    }
    if (type === 's') {
      if (media) throw new SdpParseError('s= must come before the first m= line', lineNumber, line);
      sawName = true;
    }

    if (type === 'm') {
      media = emptyMedia();
      applyRule(MEDIA_LINE_RULE, media, value, lineNumber, line);
      session.media.push(media);
      return;
    }
    if (type === 'a') {
      const colon = value.indexOf(':');
      const name = colon < 0 ? value : value.slice(0, colon);
      const attributeValue = colon < 0 ? undefined : value.slice(colon + 1);
      if (name === '') throw new SdpParseError('an attribute needs a name', lineNumber, line);
      const target: Mutable<MediaDescription> | Mutable<SessionDescription> = media ?? session;
      const rule = media ? MEDIA_ATTRIBUTES.get(name) : SESSION_ATTRIBUTES.get(name);
      if (rule) applyRule(rule as AttributeRule<unknown>, target, attributeValue, lineNumber, line);
      else target.attributes.push({ name, value: attributeValue });
      return;
    }
    const rule = media ? MEDIA_RULES.get(type) : SESSION_RULES.get(type);
    if (!rule) {
      const where = media ? 'inside a media section' : 'at session level';
      throw new SdpParseError(`the line type '${type}' is not allowed ${where}`, lineNumber, line);
    }
    applyRule(rule as LineRule<unknown>, (media ?? session) as Mutable<unknown>, value, lineNumber, line);
  });

  if (!sawVersion) throw new SdpParseError('the body is empty');
  if (!sawOrigin) throw new SdpParseError('the o= line is missing');
  if (!sawName) session.sessionName = '-';
  if (session.timing.length === 0) session.timing.push({ start: '0', stop: '0', repeats: [] });
  return session;
}

/**
 * Parses one line's value into `target` with its rule, naming the line on failure. A module function, not a closure
 * per line: under tsx (esbuild's keepNames) every named closure costs a `name` redefinition each time it is made.
 */
function applyRule<T>(
  rule: LineRule<T> | AttributeRule<T>,
  target: Mutable<T>,
  value: string | undefined,
  lineNumber: number,
  line: string,
): void {
  try {
    rule.parse(value as string, target);
  } catch (error) {
    if (error instanceof SdpLineError) throw new SdpParseError(error.message, lineNumber, line);
    throw error;
  }
}

function emptySession(): Mutable<SessionDescription> {
  return {
    version: 0,
    origin: {
      username: '-',
      sessionId: '0',
      sessionVersion: '0',
      netType: 'IN',
      addrType: 'IP4',
      address: '0.0.0.0',
    },
    sessionName: '',
    emails: [],
    phones: [],
    bandwidths: [],
    timing: [],
    attributes: [],
    media: [],
  };
}

function emptyMedia(): Mutable<MediaDescription> {
  // createMediaDescription makes new arrays on every call, so the parser may push into them.
  return createMediaDescription({ media: '', port: 0, proto: '', formats: [] }) as Mutable<MediaDescription>;
}
