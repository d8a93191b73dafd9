// One explanation for a hangup code, a cause name or a SIP status — what `trunkline explain`, the UI's diagnosis
// view and the check reports print. The facts come from the policy catalogue; this adds where to look.

import {
  candidatesForSipStatus,
  explainHangupCode,
  type HangupCauseEntry,
  lookupHangupCauseName,
  lookupHangupCode,
} from '../../policy/index.js';
import { whatToCheck, type EvidenceField } from './what-to-check.js';

export type ExplainQuery =
  | { readonly kind: 'code'; readonly code: number }
  | { readonly kind: 'name'; readonly name: string }
  | { readonly kind: 'status'; readonly status: number };

/** One cause, as a user reads it: the catalogue's facts plus where to look. */
export interface CauseExplanation extends Pick<
  HangupCauseEntry,
  | 'code'
  | 'causeName'
  | 'aliases'
  | 'cdrName'
  | 'sources'
  | 'sipStatus'
  | 'sipReason'
  | 'meaning'
  | 'remedy'
  | 'grade'
> {
  readonly whatToCheck: string;
  readonly evidenceFields: readonly EvidenceField[];
  /**
   * True when the cause was guessed from a bare SIP status (no code was given or found): several causes share a
   * status, so each is only a candidate.
   */
  readonly inferred: boolean;
}

export interface HangupExplanation {
  readonly query: ExplainQuery;
  /** Whether anything was explained; false for an unknown code, name or status. */
  readonly found: boolean;
  /** One sentence that answers the question. */
  readonly headline: string;
  readonly causes: readonly CauseExplanation[];
  /** A warning worth reading (a Voice API code, a collision), when there is one. */
  readonly note?: string;
}

export function describeCause(entry: HangupCauseEntry, inferred: boolean): CauseExplanation {
  const { check, fields } = whatToCheck(entry);
  return {
    code: entry.code,
    causeName: entry.causeName,
    aliases: entry.aliases,
    ...(entry.cdrName !== undefined ? { cdrName: entry.cdrName } : {}),
    sources: entry.sources,
    sipStatus: entry.sipStatus,
    sipReason: entry.sipReason,
    meaning: entry.meaning,
    whatToCheck: check,
    evidenceFields: fields,
    remedy: entry.remedy,
    grade: entry.grade,
    inferred,
  };
}

/**
 * Reads what a user typed: three digits are a SIP status (100–699), four digits a hangup code, a word a cause name
 * (`unknown_caller_id`, any case, aliases too). Undefined when it is none of them.
 */
export function parseExplainQuery(text: string): ExplainQuery | undefined {
  const value = text.trim();
  if (/^\d{3}$/.test(value)) {
    const status = Number(value);
    return status >= 100 && status <= 699 ? { kind: 'status', status } : undefined;
  }
  if (/^\d{4}$/.test(value)) return { kind: 'code', code: Number(value) };
  if (/^[A-Za-z][\w-]*$/.test(value)) return { kind: 'name', name: value };
  return undefined;
}

export function explainHangup(query: ExplainQuery): HangupExplanation {
  switch (query.kind) {
    case 'code':
      return explainCode(query);
    case 'name':
      return explainName(query);
    case 'status':
      return explainStatus(query);
  }
}

function explainCode(query: Extract<ExplainQuery, { kind: 'code' }>): HangupExplanation {
  const verdict = explainHangupCode(query.code);
  const entry = lookupHangupCode(query.code);
  if (entry) {
    return {
      query,
      found: true,
      headline: `${entry.code} ${entry.causeName}: ${entry.meaning}`,
      causes: [describeCause(entry, false)],
      ...(verdict.verdict === 'collision' ? { note: verdict.note } : {}),
    };
  }
  return {
    query,
    found: verdict.verdict === 'voice-api-only',
    headline:
      verdict.verdict === 'voice-api-only'
        ? `${query.code} is not a Zentrunk hangup code.`
        : `${query.code} is not a known Zentrunk hangup code.`,
    causes: [],
    note: verdict.note,
  };
}

function explainName(query: Extract<ExplainQuery, { kind: 'name' }>): HangupExplanation {
  const entries = lookupHangupCauseName(query.name);
  if (entries.length === 0) {
    return {
      query,
      found: false,
      headline: `'${query.name}' is not a Zentrunk cause name or alias.`,
      causes: [],
      note: 'Cause names look like unknown_caller_id; a hangup code has four digits, a SIP status three.',
    };
  }
  const codes = entries.map((e) => e.code).join(', ');
  return {
    query,
    found: true,
    headline:
      entries.length === 1
        ? `${entries[0].causeName} is hangup code ${codes}: ${entries[0].meaning}`
        : `'${query.name}' names ${entries.length} hangup codes (${codes}); the code in the CDR or header tells which.`,
    causes: entries.map((entry) => describeCause(entry, false)),
  };
}

function explainStatus(query: Extract<ExplainQuery, { kind: 'status' }>): HangupExplanation {
  const candidates = candidatesForSipStatus(query.status);
  if (candidates.length === 0) {
    return {
      query,
      found: false,
      headline: `No Zentrunk hangup cause is known to answer with SIP ${query.status}.`,
      causes: [],
    };
  }
  return {
    query,
    found: true,
    headline:
      `SIP ${query.status} can mean ${candidates.length} Zentrunk cause${candidates.length === 1 ? '' : 's'}` +
      ' (inferred from the status alone; X-ZT-Hangup-Code or the CDR names the one).',
    causes: candidates.map((candidate) => describeCause(candidate.entry, true)),
  };
}
