import {
  type AttributeRule,
  type LineRule,
  MEDIA_ATTRIBUTE_RULES,
  MEDIA_LINE_RULES,
  SESSION_ATTRIBUTE_RULES,
  SESSION_LINE_RULES,
} from './sdp-grammar.js';
import type { SdpAttribute, SessionDescription } from './session-description.js';

// Writes a description in RFC 4566 order by walking the same grammar tables the parser reads: typed attributes in
// table order, then the kept unknown attributes in the order they came. Lines end with CRLF (RFC 4566 §5).

const CRLF = '\r\n';

export function writeSdp(session: SessionDescription): string {
  const out: string[] = [];
  emitLines(out, SESSION_LINE_RULES, session, (t) => {
    if (t.type !== 't') return false;
    for (const timing of session.timing) {
      out.push(`t=${timing.start} ${timing.stop}`);
      for (const repeat of timing.repeats) out.push(`r=${repeat}`);
    }
    return true;
  });
  emitAttributes(out, SESSION_ATTRIBUTE_RULES, session, session.attributes);
  for (const media of session.media) {
    emitLines(out, MEDIA_LINE_RULES, media);
    emitAttributes(out, MEDIA_ATTRIBUTE_RULES, media, media.attributes);
  }
  return out.join(CRLF) + CRLF;
}

function emitLines<T>(
  out: string[],
  rules: readonly LineRule<T>[],
  source: T,
  special?: (rule: LineRule<T>) => boolean,
): void {
  for (const rule of rules) {
    if (special?.(rule)) continue;
    for (const value of rule.write(source)) out.push(`${rule.type}=${value}`);
  }
}

function emitAttributes<T>(
  out: string[],
  rules: readonly AttributeRule<T>[],
  source: T,
  others: readonly SdpAttribute[],
): void {
  for (const rule of rules) for (const value of rule.write(source)) out.push(`a=${value}`);
  for (const attribute of others)
    out.push(
      attribute.value === undefined ? `a=${attribute.name}` : `a=${attribute.name}:${attribute.value}`,
    );
}
