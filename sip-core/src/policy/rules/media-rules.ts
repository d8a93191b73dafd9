// Media and extension rules: Require option tags (PRACK is not supported), G.711 in the offer, and the
// Session-Expires floor (BEHAVIOUR.md §3, §4.2 #19–20, §8, §20; RFC 3261 §8.2.2.3, RFC 4028 §8).

import { fail, pass, skipped, unknown, type PolicyRule } from '../engine/policy-rule.js';
import { reject } from './reject.js';

/** Option tags Zentrunk advertises in Supported (§3, §9). */
export const SUPPORTED_OPTION_TAGS: ReadonlySet<string> = new Set(['timer', 'path', 'replaces']);
const G711 = new Set(['PCMU', 'PCMA']);

export const requireExtensions: PolicyRule = {
  id: 'request.require',
  title: 'Required extensions supported (no 100rel)',
  section: '§3, §20',
  grade: 'D',
  check({ attempt }) {
    if (attempt.require === undefined) return unknown('The Require header is not known');
    const unsupported = attempt.require
      .map((t) => t.toLowerCase())
      .filter((t) => !SUPPORTED_OPTION_TAGS.has(t));
    if (unsupported.length === 0) {
      return pass(
        attempt.require.length ? `Required ${attempt.require.join(', ')} supported` : 'Nothing required',
      );
    }
    return fail(
      `The request requires ${unsupported.join(', ')}, which Zentrunk does not support${unsupported.includes('100rel') ? ' (no PRACK)' : ''}`,
      reject(420, 'Bad Extension', undefined, 'I', {
        headers: [{ name: 'Unsupported', value: unsupported.join(', ') }],
      }),
    );
  },
};

export const mediaCodecs: PolicyRule = {
  id: 'media.codecs',
  title: 'Offer contains PCMU or PCMA',
  section: '§4.2 #19, §8, §20',
  grade: 'D',
  check({ attempt, settings }) {
    const sdp = attempt.sdp;
    if (sdp === undefined) return unknown('The SDP offer is not known');
    if (sdp === null) return skipped('No SDP offer (late offer): Zentrunk’s own offer carries PCMU/PCMA');
    const names = sdp.codecs.map((c) => c.toUpperCase());
    const staticG711 = sdp.payloadTypes.some((pt) => pt === 0 || pt === 8);
    if (staticG711 || names.some((n) => G711.has(n))) return pass(`G.711 offered (${names.join(', ')})`);
    const detail = `The offer has no PCMU or PCMA (${names.join(', ') || 'no codecs'})`;
    return settings.noG711Response === '488'
      ? fail(detail, reject(488, 'Not Acceptable Here', 4620, 'I'))
      : fail(detail, reject(415, 'Unsupported Media Type', 4220, 'I'));
  },
};

export const sessionTimer: PolicyRule = {
  id: 'session-timer.min-se',
  title: 'Session-Expires not below Min-SE',
  section: '§4.2 #20, §6',
  grade: 'I',
  check({ attempt, settings }) {
    const interval = attempt.sessionExpiresS;
    if (interval === undefined) return unknown('Session-Expires is not known');
    if (interval === null) return skipped('No Session-Expires header');
    const minimum = settings.minSessionExpiresS;
    if (interval < minimum) {
      return fail(
        `Session-Expires ${interval} s is below the minimum of ${minimum} s`,
        reject(422, 'Session Interval Too Small', 4270, 'I', {
          headers: [{ name: 'Min-SE', value: String(minimum) }],
        }),
      );
    }
    return pass(`Session-Expires ${interval} s is at least ${minimum} s`);
  },
};
