// Lookups over the catalogue for the explainer, the UI and the emulator. Names are not unique in Zentrunk's
// table (`forbidden` is 4040, 4060 and 4540), so name and status lookups return every candidate.

import type { HangupCause, HangupSource } from '../evidence.js';
import { HANGUP_CAUSES, type HangupCauseEntry } from './hangup-cause-catalogue.js';
import { VOICE_API_CAUSES, type VoiceApiCause } from './voice-api-causes.js';

const byCode = new Map<number, HangupCauseEntry>(HANGUP_CAUSES.map((e) => [e.code, e]));
const byName = new Map<string, HangupCauseEntry[]>();
for (const entry of HANGUP_CAUSES) {
  const names = [entry.causeName, ...entry.aliases, ...(entry.cdrName ? [entry.cdrName] : [])];
  for (const key of new Set(names.map((name) => name.toLowerCase()))) {
    byName.set(key, [...(byName.get(key) ?? []), entry]);
  }
}
const voiceByCode = new Map<number, VoiceApiCause>(VOICE_API_CAUSES.map((v) => [v.code, v]));

/** The catalogue entry of a Zentrunk code, or undefined when the code is not in the public table. */
export function lookupHangupCode(code: number): HangupCauseEntry | undefined {
  return byCode.get(code);
}

/** The entry of a code the engine itself emits; throws on a code missing from the table (a programming error). */
export function hangupCauseEntry(code: number): HangupCauseEntry {
  const entry = byCode.get(code);
  if (!entry) throw new RangeError(`Hangup code ${code} is not in the catalogue`);
  return entry;
}

/** Every entry whose cause name, alias or CDR name matches `name` (case-insensitive), in code order. */
export function lookupHangupCauseName(name: string): readonly HangupCauseEntry[] {
  return byName.get(name.trim().toLowerCase()) ?? [];
}

/** A candidate cause for a SIP status, marked as inferred: a status alone never identifies a cause. */
export interface StatusCandidate {
  readonly entry: HangupCauseEntry;
  /** Always true: the mapping from a bare status to a cause is a guess the UI must present as one. */
  readonly inferred: true;
  /** Whether `status` is the entry's main status (true) or one of its observed or alternative statuses. */
  readonly primary: boolean;
}

/** The causes that may go with a final SIP status, main statuses first. */
export function candidatesForSipStatus(status: number): readonly StatusCandidate[] {
  const primary = HANGUP_CAUSES.filter((e) => e.sipStatus === status);
  const secondary = HANGUP_CAUSES.filter(
    (e) => e.sipStatus !== status && e.alternativeStatuses.includes(status),
  );
  return [
    ...primary.map((entry) => ({ entry, inferred: true as const, primary: true })),
    ...secondary.map((entry) => ({ entry, inferred: true as const, primary: false })),
  ];
}

/** What the explainer can say about a bare four-digit code someone pasted. */
export interface CodeExplanation {
  readonly code: number;
  /** The Zentrunk entry, when the code is in the Zentrunk table. */
  readonly zentrunk: HangupCauseEntry | undefined;
  /** The Voice API cause with the same number, when there is one. */
  readonly voiceApi: VoiceApiCause | undefined;
  /**
   * `zentrunk`: only a Zentrunk code. `collision`: both tables use the number, with different meanings.
   * `voice-api-only`: this looks like a Voice API code, not Zentrunk. `unknown`: in neither public table.
   */
  readonly verdict: 'zentrunk' | 'collision' | 'voice-api-only' | 'unknown';
  /** A sentence for the user about the table the code belongs to. */
  readonly note: string;
}

/** Explains a code, warning about Voice API collisions (BEHAVIOUR.md §13 "Important", Appendix A). */
export function explainHangupCode(code: number): CodeExplanation {
  const zentrunk = byCode.get(code);
  const voiceApi = voiceByCode.get(code);
  if (zentrunk && voiceApi) {
    return {
      code,
      zentrunk,
      voiceApi,
      verdict: 'collision',
      note:
        `Zentrunk ${code} is ${zentrunk.causeName}. The Voice API uses ${code} for “${voiceApi.name}”, a ` +
        'different cause: Zentrunk CDRs always use the Zentrunk table.',
    };
  }
  if (zentrunk) {
    return {
      code,
      zentrunk,
      voiceApi,
      verdict: 'zentrunk',
      note: `Zentrunk ${code} is ${zentrunk.causeName}.`,
    };
  }
  if (voiceApi) {
    return {
      code,
      zentrunk,
      voiceApi,
      verdict: 'voice-api-only',
      note:
        `${code} looks like a Voice API code (“${voiceApi.name}”), not Zentrunk: check whether the call went ` +
        'through the Voice API rather than a Zentrunk trunk.',
    };
  }
  return {
    code,
    zentrunk,
    voiceApi,
    verdict: 'unknown',
    note: `${code} is in neither public table; Zentrunk may still use it in hangup_cause_name.`,
  };
}

/**
 * The cause a decision carries: code, name, the source this use blames (one of the entry's; default its first)
 * and the CDR name. `causeName` overrides the table's name (the §20 name switches). Throws on a code or source
 * the table does not have: the engine emits only catalogue codes.
 */
export function causeOf(code: number, source?: HangupSource, causeName?: string): HangupCause {
  const entry = hangupCauseEntry(code);
  const chosen = source ?? entry.sources[0];
  if (chosen === undefined || !entry.sources.includes(chosen)) {
    throw new RangeError(`Hangup code ${code} has no source ${String(source)}`);
  }
  const name = causeName ?? entry.causeName;
  return {
    code,
    causeName: name,
    source: chosen,
    cdrCauseName: causeName ?? entry.cdrName ?? entry.causeName,
  };
}
