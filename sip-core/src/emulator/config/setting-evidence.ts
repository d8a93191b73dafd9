// Where each §20 default comes from (BEHAVIOUR.md §0 grades), so the effective configuration can show a user
// which switches model documented Zentrunk behaviour and which are Trunkline's guesses. Keyed by every setting:
// adding a setting to policy without a row here is a type error.

import type { EvidenceGrade, PolicySettings } from '../../policy/index.js';

export interface SettingEvidence {
  /** The BEHAVIOUR.md sections the default rests on. */
  readonly section: string;
  /** The grade of the default behaviour. */
  readonly grade: EvidenceGrade;
  /** The alternative the setting offers. */
  readonly alternative: string;
}

export const SETTING_EVIDENCE: { readonly [K in keyof PolicySettings]: SettingEvidence } = {
  trunkDomainSuffix: { section: '§1, §2.1', grade: 'D', alternative: 'any DNS suffix' },
  accountCpsOverflow: { section: '§12.1, §17, §20', grade: 'D', alternative: 'reject (503 + 5180 at once)' },
  accountCpsQueueBoundMs: { section: '§12.1, §20', grade: 'I', alternative: 'any bound in ms' },
  geoBlockCode: { section: '§4.2 #16, §13, §17', grade: 'D', alternative: '4650 (geo-permissions page)' },
  geoBlockCauseName: { section: '§4.2 #16, §17', grade: 'D', alternative: 'barred_country' },
  premiumBlocking: { section: '§4.2 #17, §12.4', grade: 'D', alternative: 'off' },
  callerIdSource: { section: '§4.1, §20', grade: 'I', alternative: 'from-only' },
  unsupportedMethodStatus: { section: '§3, §20', grade: 'I', alternative: '501 Not Implemented' },
  allowHeader: {
    section: '§3, §4.4',
    grade: 'I',
    alternative: 'plivo-traces (INVITE,ACK,CANCEL,BYE,UPDATE)',
  },
  noG711Response: { section: '§4.2 #19, §8', grade: 'I', alternative: '415 + 4220' },
  insecureTrunkResponse: { section: '§2.3, §4.2 #4', grade: 'I', alternative: '403' },
  secureTrunkPlainRtp: { section: '§2.3', grade: 'I', alternative: 'accept-no-media' },
  authChallenge: { section: '§4.2 #5, §20', grade: 'O', alternative: '401 WWW-Authenticate' },
  digestSha256: { section: '§18 #3, §20', grade: 'I', alternative: 'true (offer SHA-256 too)' },
  aclAndCredentials: { section: '§4.2 #6, §20', grade: 'I', alternative: 'both' },
  minSessionExpiresS: { section: '§4.2 #20', grade: 'I', alternative: 'any number of seconds' },
  optionsRate: { section: '§3, §11, §20', grade: 'I', alternative: 'other limits, or blocking: false' },
  ringTimeoutMs: { section: '§4.3, §5.2, §20', grade: 'I', alternative: 'any; per far-end scenario' },
  rtpInactivityTimeoutMs: { section: '§6, §20', grade: 'I', alternative: 'any, or null (off)' },
  referCdrs: { section: '§7, §17, §20', grade: 'P', alternative: 'single-record' },
  hangupCodeHeaders: { section: '§9, §20', grade: 'I', alternative: 'false' },
  mediaPortRange: { section: '§2.1, §17', grade: 'D', alternative: 'any range' },
};
