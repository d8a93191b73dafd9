// A scenario as a script: what the far end does and when, computed once, purely, so the call-handling layer only
// executes steps on its Clock and never interprets a scenario itself. Times are milliseconds after the far end
// was offered the call (after policy and any CPS queue).
//
//   answer:     180 @0 (unless 183 @0) [183 @e] ── 200 @a ── [DTMF @a+d] [hold @a+h] [resume] [BYE @a+b]
//   reject:     [180 @0 if r > 0] [183 @e] ──── final 4xx-6xx relayed per §4.3 @r
//   no-answer:  180 @0 [183 @e] ─────────────── 480 + 6030 @ ring timeout (§20)
//
// A carrier's leg alerts before it answers, even when it answers at once (a = 0: 180 and 200 in the same tick,
// docs/adr/0088); a 183 at once is the alert instead. A rejection at once is a single final response, as
// Zentrunk's observed refusals are.
//
// Zentrunk's own ring timer runs for every scenario: an answer or rejection planned at or after the ring timeout
// becomes the no-answer result (480 + 6030) at the timeout, as the real trunk would end it.

import {
  causeOf,
  mapCarrierOutcome,
  timerExpiry,
  type EvidenceGrade,
  type HangupCause,
} from '../../policy/index.js';
import type { PolicySettings } from '../../policy/index.js';
import type { FarEndScenario } from './far-end-scenario.js';
import type { MediaSource } from './media-source.js';

/** Which rule of the specification a far-end outcome rests on (it goes into the CDR's policy fields). */
export interface FarEndRule {
  readonly ruleId: string;
  readonly section: string;
  readonly grade: EvidenceGrade;
}

export type ScenarioStep =
  /** `180 Ringing`, no SDP. */
  | { readonly atMs: number; readonly kind: 'ringing' }
  /** `183 Session Progress` with the answer SDP; `media` plays until the final response. */
  | { readonly atMs: number; readonly kind: 'early-media'; readonly media: MediaSource }
  /** `200 OK`; `media` plays from now on. */
  | { readonly atMs: number; readonly kind: 'answer'; readonly media: MediaSource }
  /** RFC 4733 events, one digit after another. */
  | {
      readonly atMs: number;
      readonly kind: 'send-dtmf';
      readonly digits: string;
      readonly durationMs: number;
      readonly gapMs: number;
    }
  /** A re-INVITE with `a=sendonly` (RFC 3264 §8.4). */
  | { readonly atMs: number; readonly kind: 'hold' }
  /** A re-INVITE with `a=sendrecv`. */
  | { readonly atMs: number; readonly kind: 'resume' }
  /** The far end ends the answered call: BYE to the caller. */
  | { readonly atMs: number; readonly kind: 'hangup'; readonly cause: HangupCause; readonly rule: FarEndRule }
  /** The final non-2xx response Zentrunk relays to the caller. */
  | {
      readonly atMs: number;
      readonly kind: 'reject';
      readonly status: number;
      readonly reasonPhrase: string;
      readonly cause: HangupCause;
      readonly rule: FarEndRule;
    };

export type ScenarioStepKind = ScenarioStep['kind'];

export interface ScenarioScript {
  /** In time order; nothing follows a `reject` or a `hangup`. */
  readonly steps: readonly ScenarioStep[];
  readonly outcome: 'answer' | 'reject';
  /** The ring timeout that applied (scenario override or the `ringTimeoutMs` setting). */
  readonly ringTimeoutMs: number;
}

export interface ScenarioScriptOptions {
  /**
   * Whether an answer at once is preceded by 180 Ringing (default true, docs/adr/0088). The REFER engine passes
   * false: a transfer target's progress reaches the transferor as NOTIFY sipfrag (§7), which stays 100 then 200.
   */
  readonly ringBeforeImmediateAnswer?: boolean;
}

const NORMAL_HANGUP: FarEndRule = { ruleId: 'far-end.hangup', section: '§4.3, §13', grade: 'D-old' };

/** The timed steps of a scenario under the given settings. */
export function scenarioScript(
  scenario: FarEndScenario,
  settings: PolicySettings,
  options: ScenarioScriptOptions = {},
): ScenarioScript {
  const ringTimeoutMs =
    (scenario.kind === 'no-answer' ? scenario.ringTimeoutMs : undefined) ?? settings.ringTimeoutMs;
  const finalAtMs = scenario.kind === 'no-answer' ? ringTimeoutMs : Math.min(scenario.afterMs, ringTimeoutMs);
  const timesOut = scenario.kind === 'no-answer' || scenario.afterMs >= ringTimeoutMs;
  const steps: ScenarioStep[] = [];

  const early = scenario.earlyMedia && scenario.earlyMedia.afterMs < finalAtMs ? scenario.earlyMedia : null;
  // It rings before any answer and before a later rejection, unless the 183 starts at once (then the 183 is the
  // alert); a rejection at once is the only response.
  const answersAtOnce = finalAtMs === 0 && scenario.kind === 'answer' && !timesOut;
  const rings = finalAtMs > 0 || (answersAtOnce && (options.ringBeforeImmediateAnswer ?? true));
  if (rings && !(early && early.afterMs === 0)) steps.push({ atMs: 0, kind: 'ringing' });
  if (early) steps.push({ atMs: early.afterMs, kind: 'early-media', media: early.media });

  if (timesOut) {
    const expiry = timerExpiry('ring', { ...settings, ringTimeoutMs });
    const response = expiry.response ?? { status: 480, reasonPhrase: 'Temporarily Unavailable' };
    steps.push({
      atMs: ringTimeoutMs,
      kind: 'reject',
      status: response.status,
      reasonPhrase: response.reasonPhrase,
      cause: expiry.cause,
      rule: { ruleId: 'far-end.ring-timeout', section: '§4.3, §20', grade: 'I' },
    });
    return { steps, outcome: 'reject', ringTimeoutMs };
  }

  if (scenario.kind === 'reject') {
    const mapped = mapCarrierOutcome({ kind: 'response', status: scenario.status });
    steps.push({
      atMs: scenario.afterMs,
      kind: 'reject',
      status: mapped.relayStatus,
      reasonPhrase: scenario.reasonPhrase ?? mapped.relayReason,
      cause: mapped.cause,
      rule: { ruleId: `far-end.carrier-${scenario.status}`, section: '§4.3', grade: mapped.grade },
    });
    return { steps, outcome: 'reject', ringTimeoutMs };
  }

  const answerAtMs = scenario.afterMs;
  steps.push({ atMs: answerAtMs, kind: 'answer', media: scenario.media });
  const inCall: ScenarioStep[] = [];
  if (scenario.dtmf) {
    const { digits, afterMs, durationMs, gapMs } = scenario.dtmf;
    inCall.push({ atMs: answerAtMs + afterMs, kind: 'send-dtmf', digits, durationMs, gapMs });
  }
  if (scenario.hold) {
    const holdAtMs = answerAtMs + scenario.hold.afterMs;
    inCall.push({ atMs: holdAtMs, kind: 'hold' });
    if (scenario.hold.resumeAfterMs !== null) {
      inCall.push({ atMs: holdAtMs + scenario.hold.resumeAfterMs, kind: 'resume' });
    }
  }
  const hangupAtMs = scenario.hangupAfterMs === null ? undefined : answerAtMs + scenario.hangupAfterMs;
  // Steps planned at or after the far end's BYE never happen; the BYE is the last step.
  const kept = inCall
    .filter((step) => hangupAtMs === undefined || step.atMs < hangupAtMs)
    .sort((a, b) => a.atMs - b.atMs);
  steps.push(...kept);
  if (hangupAtMs !== undefined) {
    steps.push({ atMs: hangupAtMs, kind: 'hangup', cause: causeOf(3000), rule: NORMAL_HANGUP });
  }
  return { steps, outcome: 'answer', ringTimeoutMs };
}
