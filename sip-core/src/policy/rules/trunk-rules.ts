// Trunk rules: which trunk the Request-URI names, whether it takes outbound calls, and whether transport and
// SDP profile match its secure-trunking setting (BEHAVIOUR.md §2.3, §4.2 #2–4, §20).

import { fail, pass, skipped, unknown, type PolicyRule, type RuleResult } from '../engine/policy-rule.js';
import { reject } from './reject.js';

/** SDES suites the emulator accepts (§8, §20). */
export const SRTP_SUITES: ReadonlySet<string> = new Set([
  'AES_CM_128_HMAC_SHA1_80',
  'AES_CM_128_HMAC_SHA1_32',
]);

export const trunkLookup: PolicyRule = {
  id: 'trunk.lookup',
  title: 'Request-URI host is a trunk domain',
  section: '§4.2 #2, §20',
  grade: 'D',
  check(context) {
    const host = context.attempt.requestUri?.host;
    const find = context.view.trunkForHost;
    if (host === undefined || find === undefined) return unknown('The trunk is not known before dialling');
    const trunk = find(host);
    if (!trunk) {
      return fail(
        `“${host}” is not the trunk domain of any trunk on this account`,
        reject(404, 'Not Found', 4070, 'I'),
      );
    }
    context.trunk = trunk;
    return pass(`${host} is trunk ${trunk.trunk_id}${trunk.name ? ` (${trunk.name})` : ''}`);
  },
};

export const trunkEnabledOutbound: PolicyRule = {
  id: 'trunk.enabled-outbound',
  title: 'Trunk is an enabled outbound trunk',
  section: '§4.2 #3, §20',
  grade: 'I',
  check({ trunk }) {
    if (!trunk) return unknown('The trunk is not known');
    if (trunk.trunk_status !== 'enabled') {
      return fail(`Trunk ${trunk.trunk_id} is disabled`, reject(403, 'Forbidden', 4540, 'I'));
    }
    if (trunk.trunk_direction !== 'outbound') {
      return fail(
        `Trunk ${trunk.trunk_id} is an inbound trunk and cannot take calls from your PBX`,
        reject(403, 'Forbidden', 4540, 'I'),
      );
    }
    return pass(`Trunk ${trunk.trunk_id} is an enabled outbound trunk`);
  },
};

export const trunkSecureTransport: PolicyRule = {
  id: 'trunk.secure-transport',
  title: 'Transport and SDP profile match secure trunking',
  section: '§2.3, §4.2 #4, §20',
  grade: 'D',
  check({ trunk, attempt, settings }): RuleResult {
    if (!trunk) return unknown('The trunk is not known');
    const { transport, sdp } = attempt;
    const srtpOffered = sdp
      ? sdp.profile.toUpperCase().includes('SAVP') || sdp.cryptoSuites.length > 0
      : undefined;
    if (!trunk.secure) {
      const status = settings.insecureTrunkResponse === '488' ? 488 : 403;
      const phrase = status === 488 ? 'Not Acceptable Here' : 'Forbidden';
      if (transport === 'tls') {
        return fail(
          `Trunk ${trunk.trunk_id} has no secure trunking but the call came over TLS`,
          reject(status, phrase, 4110, 'I'),
        );
      }
      if (srtpOffered) {
        return fail(
          `Trunk ${trunk.trunk_id} has no secure trunking but the offer asks for SRTP`,
          reject(status, phrase, 4110, 'I'),
        );
      }
      if (transport === undefined || sdp === undefined)
        return unknown('The transport or the SDP offer is not known');
      return pass('Plain signalling and RTP on a trunk without secure trunking');
    }
    // §2.3: "You can use SRTP regardless of the SIP signalling being on TCP/UDP" — only the media is checked.
    if (sdp === undefined) return unknown('The SDP offer is not known');
    if (sdp === null) return skipped('No SDP offer to check (late offer)');
    if (srtpOffered) {
      // §8, §20: SDES with AES_CM_128_HMAC_SHA1_80 (and _32); no DTLS-SRTP, no other suites.
      const usable = sdp.cryptoSuites.filter((suite) => SRTP_SUITES.has(suite.toUpperCase()));
      if (usable.length === 0) {
        return fail(
          `The SRTP offer has no SDES crypto suite Zentrunk accepts (${sdp.cryptoSuites.join(', ') || 'no a=crypto'})`,
          reject(488, 'Not Acceptable Here', 4430, 'I'),
        );
      }
      return pass(`SRTP offered on a secure trunk (${usable.join(', ')})`);
    }
    if (settings.secureTrunkPlainRtp === 'accept-no-media') {
      return {
        outcome: 'pass',
        detail: `Trunk ${trunk.trunk_id} is secure but the offer is plain RTP: accepted without media (setting)`,
        media: 'no-media',
      };
    }
    return fail(
      `Trunk ${trunk.trunk_id} has secure trunking but the offer is plain RTP`,
      reject(488, 'Not Acceptable Here', 4110, 'I'),
    );
  },
};
