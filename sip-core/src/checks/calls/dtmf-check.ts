// `dtmf`: all 16 RFC 4733 events (0-9, *, #, A-D) sent once each on a call to the echo number, and every one
// detected once, in order: by the emulator itself (its `dtmf` events — the far end's own detector), or on a real
// trunk by what comes back on the echo (RFC 4733 events relayed back, or in-band tones our Goertzel detector finds).
// Zentrunk relays RFC 4733 only (§6): SIP INFO is never tried.

import type { Disposable } from '../../common/disposable.js';
import type { CheckOutcome, MeasuredValue } from '../runner/check-definition.js';
import { callCheck, ProbeCall } from './probe-call.js';

export const ALL_DTMF_DIGITS = '0123456789*#ABCD';
/** 16 digits at the far end's pace (100 ms tone + 100 ms gap each) plus room for the echo's delay. */
const DTMF_DETECT_TIMEOUT_MS = 10_000;

export interface DtmfFacts {
  readonly sent: string;
  /** What was detected, in order (may hold duplicates and strangers). */
  readonly detected: string;
  readonly detectedBy: 'emulator' | 'echo';
}

export function dtmfVerdict(facts: DtmfFacts): CheckOutcome {
  const { sent, detected } = facts;
  const missing = [...sent].filter((d) => !detected.includes(d));
  const twice = [...new Set([...detected].filter((d, i) => detected.indexOf(d) !== i))];
  const strangers = [...new Set([...detected].filter((d) => !sent.includes(d)))];
  const measurements: MeasuredValue[] = [
    { name: 'sent', value: sent },
    { name: 'detected', value: detected },
    { name: 'detectedBy', value: facts.detectedBy },
    { name: 'detectedCount', value: detected.length },
  ];
  const where = facts.detectedBy === 'emulator' ? 'at the far end' : 'on the echo';
  if (detected === sent) {
    return {
      status: 'pass',
      summary: `All ${sent.length} digits detected once, in order, ${where}.`,
      measurements,
    };
  }
  const problems = [
    ...(missing.length > 0 ? [`missing ${missing.join(' ')}`] : []),
    ...(twice.length > 0 ? [`detected more than once ${twice.join(' ')}`] : []),
    ...(strangers.length > 0 ? [`never sent ${strangers.join(' ')}`] : []),
    ...(missing.length === 0 && twice.length === 0 && strangers.length === 0 ? ['out of order'] : []),
  ];
  return {
    status: 'fail',
    summary: `DTMF ${where}: ${problems.join('; ')} (sent ${sent}, detected ${detected || 'nothing'}).`,
    measurements,
    cause: {
      summary:
        detected.length === 0
          ? 'No DTMF digit arrived: telephone-event (RFC 4733) is not relayed on this path.'
          : 'DTMF digits are lost or duplicated on the way: events relayed unreliably, or sent both as RFC 4733 and in-band.',
    },
    remedy:
      'Use RFC 4733 telephone-event (payload 101) only — Zentrunk relays no SIP INFO and no in-band digits reliably (§6) — and disable in-band DTMF on the PBX.',
  };
}

export const dtmfCheck = callCheck({
  id: 'dtmf',
  title: 'DTMF',
  description:
    'All 16 digits (0-9 * # A-D) sent once by RFC 4733 and each detected once: at the far end on the emulator, on the echo otherwise.',
  async body(context, env, number) {
    const emulator = env.emulator?.emulator;
    const farEnd: string[] = [];
    const listening: Disposable | undefined = emulator?.events.on('dtmf', (event) =>
      farEnd.push(event.digit),
    );
    const echoed: string[] = [];
    try {
      const probe = await ProbeCall.dial(context, env, {
        number,
        toneHz: 0,
        label: `DTMF call to ${number}`,
      });
      probe.call.on('dtmf', (dtmf) => echoed.push(dtmf.digit));
      await probe.requireAnswer();
      await probe.pause(300);
      context.progress(0.3, `sending ${ALL_DTMF_DIGITS}`);
      probe.call.sendDtmf(ALL_DTMF_DIGITS);
      const detected = (): string =>
        emulator !== undefined ? farEnd.join('') : echoed.join('') || probe.detector.keys;
      await probe.waitFor(() => detected().length >= ALL_DTMF_DIGITS.length, DTMF_DETECT_TIMEOUT_MS);
      // A little longer, so a digit detected twice shows up as such.
      await probe.pause(400);
      await probe.finish();
      return dtmfVerdict({
        sent: ALL_DTMF_DIGITS,
        detected: detected(),
        detectedBy: emulator !== undefined ? 'emulator' : 'echo',
      });
    } finally {
      listening?.dispose();
    }
  },
});
