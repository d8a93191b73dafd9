// What a user should look at for each hangup cause: which part of their INVITE or setup the cause is about. The
// catalogue (policy/) says what a cause means and how to fix it; this table says where the evidence is, so that
// an explanation of a real call can quote the very header that caused it.

import type { HangupCauseEntry, HangupSource } from '../../policy/index.js';

/** A part of the call an explanation can quote from the ladder. */
export type EvidenceField =
  'request-uri' | 'from' | 'to' | 'p-asserted-identity' | 'credentials' | 'sdp' | 'transport';

interface CheckRow {
  readonly codes: readonly number[];
  readonly check: string;
  readonly fields: readonly EvidenceField[];
}

const ROWS: readonly CheckRow[] = [
  {
    codes: [4050, 4130, 4140, 4190, 4200, 4590],
    check:
      'The caller ID the INVITE carried: the From user and P-Asserted-Identity, against your Plivo numbers.',
    fields: ['from', 'p-asserted-identity'],
  },
  {
    codes: [4080, 4090, 4100, 4120, 4310, 4320, 4560, 4570, 4610, 4650, 6020],
    check:
      'The dialled number in the Request-URI and To: E.164 form, country and number type (premium, toll free).',
    fields: ['request-uri', 'to'],
  },
  {
    codes: [4010, 4020, 4060, 4150, 4180],
    check:
      'Whether the INVITE carried credentials after the challenge, and whether your PBX address is in the ' +
      'trunk’s IP access list.',
    fields: ['credentials', 'from'],
  },
  {
    codes: [4070, 4110],
    check: 'The trunk domain in the Request-URI host, and the transport (a secure trunk needs TLS and SRTP).',
    fields: ['request-uri', 'transport', 'sdp'],
  },
  {
    codes: [4220, 4430, 4620, 4630, 4640],
    check:
      'The SDP offer: G.711 (PCMU or PCMA) present, RTP/AVP or RTP/SAVP as the trunk requires, crypto lines.',
    fields: ['sdp'],
  },
  {
    codes: [5010, 5180, 5190],
    check: 'How many calls were starting and running at that moment, against the account and trunk limits.',
    fields: [],
  },
  {
    codes: [3030, 4030],
    check: 'The account’s credit balance in the Plivo console.',
    fields: [],
  },
  {
    codes: [3020, 5240],
    check: 'RTP in both directions for the whole call (also on hold): firewall, NAT and the SDP address.',
    fields: ['sdp'],
  },
  {
    codes: [4160, 4170, 4330, 4340, 4350, 5200, 5330, 5340, 6030],
    check:
      'How long the far end took: the time from the INVITE to its final response, and whether it was reachable.',
    fields: ['request-uri'],
  },
];

const BY_CODE = new Map<number, CheckRow>(
  ROWS.flatMap((row) => row.codes.map((code) => [code, row] as const)),
);

const BY_SOURCE: Record<HangupSource, string> = {
  zentrunk:
    'The INVITE your PBX sent, against the trunk’s settings in the Plivo console (Zentrunk refused it).',
  carrier: 'The destination and the carrier’s answer: the carrier, not Zentrunk or your PBX, ended the call.',
  customer: 'Your PBX’s logs around the time of the call: your side sent this response or BYE.',
};

/** The sentence and the fields to quote for `entry`. */
export function whatToCheck(entry: HangupCauseEntry): { check: string; fields: readonly EvidenceField[] } {
  const row = BY_CODE.get(entry.code);
  if (row) return row;
  const source = entry.sources[0] ?? 'zentrunk';
  return { check: BY_SOURCE[source], fields: [] };
}
