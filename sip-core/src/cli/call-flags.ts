// The small value grammars of `trunkline call`: durations (`2s`, `500ms`), what to play (`tone:440`, a WAV path)
// and what to expect (`answered`, a SIP status, a Zentrunk hangup code or cause name). Pure; each parser throws a
// CliUsageError that says what to write instead.

import { TrunklineError } from '../common/errors.js';

export class CliUsageError extends TrunklineError {
  constructor(message: string) {
    super('CLI_USAGE', message);
  }
}

/** `2s`, `1.5s`, `500ms`, `1m`, or a bare number of seconds → milliseconds. */
export function parseDurationMs(text: string, flag: string): number {
  const match = /^(\d+(?:\.\d+)?)(ms|s|m)?$/.exec(text.trim());
  if (match === null) {
    throw new CliUsageError(`${flag} "${text}" is not a duration: write 2s, 1.5s, 500ms or 1m.`);
  }
  const value = Number(match[1]);
  const unit = match[2] ?? 's';
  return Math.round(unit === 'ms' ? value : unit === 'm' ? value * 60_000 : value * 1_000);
}

export type PlaySpec =
  { readonly kind: 'tone'; readonly spec: string } | { readonly kind: 'wav'; readonly path: string };

/** `tone:440` (media's tone grammar: `tone:350+440@-6`) or a path to a WAV file. */
export function parsePlaySpec(text: string): PlaySpec {
  const value = text.trim();
  if (value.startsWith('tone:')) return { kind: 'tone', spec: value };
  if (value.length === 0) throw new CliUsageError('--play needs tone:<Hz> or a WAV file path.');
  return { kind: 'wav', path: value };
}

/** What `--expect` accepts. */
export type Expectation =
  | { readonly kind: 'answered' }
  | {
      readonly kind: 'outcome';
      readonly outcome: 'rejected' | 'cancelled' | 'declined' | 'missed' | 'transferred';
    }
  /** A SIP final status, 300–699, of the INVITE (or of our answer to an inbound INVITE). */
  | { readonly kind: 'sip-status'; readonly status: number }
  /** A Zentrunk hangup code (four digits, BEHAVIOUR.md §13). */
  | { readonly kind: 'hangup-code'; readonly code: number }
  /** A Zentrunk cause name such as `normal_hangup` or `call_rejected_unauthorized`. */
  | { readonly kind: 'cause-name'; readonly name: string };

const OUTCOMES = new Set(['rejected', 'cancelled', 'declined', 'missed', 'transferred']);

export function parseExpectation(text: string): Expectation {
  const value = text.trim().toLowerCase();
  if (value === 'answered') return { kind: 'answered' };
  if (OUTCOMES.has(value)) {
    return {
      kind: 'outcome',
      outcome: value as 'rejected' | 'cancelled' | 'declined' | 'missed' | 'transferred',
    };
  }
  if (/^[3-6]\d\d$/.test(value)) return { kind: 'sip-status', status: Number(value) };
  if (/^\d{4}$/.test(value)) return { kind: 'hangup-code', code: Number(value) };
  if (/^[a-z][a-z0-9_]*$/.test(value)) return { kind: 'cause-name', name: value };
  throw new CliUsageError(
    `--expect "${text}" is not understood: write answered, a SIP status (486), a hangup code (4180) or a cause name (call_rejected_unauthorized).`,
  );
}

/** The facts of a finished call an expectation is checked against. */
export interface ExpectationFacts {
  readonly outcome: string;
  readonly sipStatus: number | undefined;
  readonly hangupCode: number | undefined;
  readonly hangupName: string | undefined;
}

export function meetsExpectation(expectation: Expectation, facts: ExpectationFacts): boolean {
  switch (expectation.kind) {
    case 'answered':
      // A call answered and then transferred away was answered.
      return facts.outcome === 'answered' || facts.outcome === 'transferred';
    case 'outcome':
      return facts.outcome === expectation.outcome;
    case 'sip-status':
      return facts.sipStatus === expectation.status;
    case 'hangup-code':
      return facts.hangupCode === expectation.code;
    case 'cause-name':
      return facts.hangupName?.toLowerCase() === expectation.name;
  }
}
