// `hold-resume`: our re-INVITE with `a=sendonly` is answered `a=recvonly` (RFC 3264 §8.4), the resume re-INVITE
// brings `sendrecv` back, and the echo of our tone is heard again after it — a trunk that accepts the resume but
// never restarts media leaves the user talking into silence.

import { ToneDetectorSink } from '../../media/session/index.js';
import type { CheckOutcome, MeasuredValue } from '../runner/check-definition.js';
import { callCheck, PROBE_TONE_HZ, ProbeCall, toneMeasurements } from './probe-call.js';
import type { ToneAnalysis } from '../../media/tone/tone-analysis.js';

export interface HoldResumeFacts {
  /** Our direction after hold (expected sendonly). */
  readonly heldDirection: string | undefined;
  /** The direction attribute of the trunk's answer to the hold (expected recvonly). */
  readonly holdAnswerDirection: string | undefined;
  /** Our direction after resume (expected sendrecv). */
  readonly resumedDirection: string | undefined;
  readonly audioAfterResume: ToneAnalysis | undefined;
  /** A re-INVITE that failed, with its error. */
  readonly error?: string;
}

export function holdResumeVerdict(facts: HoldResumeFacts): CheckOutcome {
  const measurements: MeasuredValue[] = [
    { name: 'heldDirection', value: facts.heldDirection ?? 'none' },
    { name: 'holdAnswerDirection', value: facts.holdAnswerDirection ?? 'none' },
    { name: 'resumedDirection', value: facts.resumedDirection ?? 'none' },
    ...toneMeasurements('echoAfterResume', facts.audioAfterResume),
  ];
  const remedy =
    'The trunk must answer a hold re-INVITE (a=sendonly) with a=recvonly and a resume with a=sendrecv (RFC 3264 §8.4); check the SBC or PBX between you and the trunk.';
  if (facts.error !== undefined) {
    return {
      status: 'fail',
      summary: `Hold/resume failed: ${facts.error}`,
      measurements,
      cause: { summary: `A hold or resume re-INVITE was refused: ${facts.error}` },
      remedy,
    };
  }
  if (facts.heldDirection !== 'sendonly' || facts.holdAnswerDirection !== 'recvonly') {
    return {
      status: 'fail',
      summary: `Hold answered ${facts.holdAnswerDirection ?? 'without a direction'} (we are ${facts.heldDirection ?? 'unknown'}), not recvonly.`,
      measurements,
      cause: { summary: 'The hold re-INVITE was not answered with a=recvonly.' },
      remedy,
    };
  }
  if (facts.resumedDirection !== 'sendrecv') {
    return {
      status: 'fail',
      summary: `After resume the media is ${facts.resumedDirection ?? 'unknown'}, not sendrecv.`,
      measurements,
      cause: { summary: 'The resume re-INVITE did not bring back sendrecv.' },
      remedy,
    };
  }
  if (facts.audioAfterResume?.present !== true) {
    return {
      status: 'fail',
      summary: 'Resumed to sendrecv, but our tone did not come back from the echo afterwards.',
      measurements,
      cause: { summary: 'Audio does not resume after hold: the far end kept its media stopped.' },
      remedy,
    };
  }
  return {
    status: 'pass',
    summary: 'Held (sendonly answered recvonly), resumed (sendrecv), and the echo came back.',
    measurements,
  };
}

export const holdResumeCheck = callCheck({
  id: 'hold-resume',
  title: 'Hold and resume',
  description:
    'A re-INVITE with a=sendonly is answered a=recvonly, the resume brings sendrecv back, and audio resumes.',
  async body(context, env, number) {
    const probe = await ProbeCall.dial(context, env, { number, label: `Hold call to ${number}` });
    const facts: {
      heldDirection?: string;
      holdAnswerDirection?: string;
      resumedDirection?: string;
      audioAfterResume?: ToneAnalysis;
      error?: string;
    } = {};
    try {
      await probe.requireAnswer();
      await probe.pause(500);
      context.progress(0.3, 'hold');
      await probe.call.hold();
      facts.heldDirection = probe.call.mediaState?.direction;
      facts.holdAnswerDirection = directionOf(probe.sip.receivedResponseBodies().at(-1));
      await probe.pause(500);
      context.progress(0.6, 'resume');
      await probe.call.resume();
      facts.resumedDirection = probe.call.mediaState?.direction;
      // A fresh detector: only what is heard after the resume counts.
      const afterResume = new ToneDetectorSink({ windowMs: 1_000 });
      const tap = probe.call.addSink(afterResume);
      facts.audioAfterResume = await probe.detectTone(PROBE_TONE_HZ, afterResume);
      tap.dispose();
    } catch (error) {
      facts.error = error instanceof Error ? error.message : String(error);
    }
    await probe.finish();
    return holdResumeVerdict(facts as HoldResumeFacts);
  },
});

/** The session-level or first media-level direction attribute of an SDP body. */
export function directionOf(sdp: string | undefined): string | undefined {
  return /^a=(sendrecv|sendonly|recvonly|inactive)\s*$/m.exec(sdp ?? '')?.[1];
}
