// Shorthands for the verdicts rules return, so that each rule reads as its BEHAVIOUR.md row.

import type { EvidenceGrade, HangupSource } from '../evidence.js';
import type { HeaderField } from '../engine/policy-decision.js';
import type { RejectVerdict } from '../engine/policy-rule.js';

export function reject(
  status: number,
  reasonPhrase: string,
  code: number | undefined,
  responseGrade: EvidenceGrade,
  extra: { source?: HangupSource; causeName?: string; headers?: readonly HeaderField[] } = {},
): RejectVerdict {
  return {
    kind: 'reject',
    status,
    reasonPhrase,
    responseGrade,
    ...(code === undefined ? {} : { code }),
    ...extra,
  };
}

/** The Allow list of §20: Trunkline's complete list, or the one in Plivo's documented traces (§3). */
export function allowHeaderValue(variant: 'trunkline' | 'plivo-traces'): string {
  return variant === 'trunkline'
    ? 'INVITE, ACK, CANCEL, BYE, OPTIONS, REFER, UPDATE'
    : 'INVITE,ACK,CANCEL,BYE,UPDATE';
}
