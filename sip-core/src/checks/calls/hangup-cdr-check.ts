// `hangup-cdr`: our BYE ends the call as a normal hangup (3010 for the customer's BYE, §13), and — on the emulator,
// whose store we can read — its CDR says `normal_hangup`. A real trunk's CDRs live in the Plivo console, out of
// reach of this tool: there the check warns that the CDR could not be read, and does not fail.

import type { CallDetailRecord } from '../../store/index.js';
import type { CheckOutcome, MeasuredValue } from '../runner/check-definition.js';
import { callCheck, ProbeCall } from './probe-call.js';

const CDR_TIMEOUT_MS = 5_000;

export interface HangupCdrFacts {
  readonly endedBy: 'local' | 'remote' | 'network';
  readonly hangupCode: number | undefined;
  readonly hangupName: string | undefined;
  /** The CDR's fields; 'unavailable' on a real trunk, 'missing' when the emulator wrote none in time. */
  readonly cdr: Pick<CallDetailRecord, 'hangup_cause_code' | 'hangup_cause_name'> | 'unavailable' | 'missing';
}

export function hangupCdrVerdict(facts: HangupCdrFacts): CheckOutcome {
  const measurements: MeasuredValue[] = [
    { name: 'endedBy', value: facts.endedBy },
    ...(facts.hangupCode !== undefined ? [{ name: 'hangupCode', value: facts.hangupCode }] : []),
    ...(typeof facts.cdr === 'object'
      ? [
          { name: 'cdrHangupCauseCode', value: facts.cdr.hangup_cause_code ?? 0 },
          { name: 'cdrHangupCauseName', value: facts.cdr.hangup_cause_name ?? '' },
        ]
      : [{ name: 'cdr', value: facts.cdr }]),
  ];
  if (facts.endedBy !== 'local') {
    return {
      status: 'fail',
      summary: `The call ended before our BYE (ended by ${facts.endedBy}, ${facts.hangupCode ?? 'no code'} ${facts.hangupName ?? ''}).`,
      measurements,
      cause: {
        summary: 'The trunk ended the test call itself before we hung up.',
        ...(facts.hangupCode !== undefined ? { hangupCode: facts.hangupCode } : {}),
        ...(facts.hangupName !== undefined ? { hangupCauseName: facts.hangupName } : {}),
      },
      remedy: 'Look up the hangup code with `trunkline explain`; the ladder shows who ended the call.',
    };
  }
  if (facts.cdr === 'unavailable') {
    return {
      status: 'warning',
      summary: 'BYE answered; the trunk’s CDR cannot be read from here.',
      measurements,
      cause: {
        summary:
          'A real trunk’s CDRs are in the Plivo console (Zentrunk → CDRs), not reachable by this check.',
      },
      remedy: 'Open the CDR of this call in the Plivo console and check hangup_cause_name is normal_hangup.',
    };
  }
  if (facts.cdr === 'missing') {
    return {
      status: 'fail',
      summary: 'BYE answered, but the emulator wrote no CDR for the call.',
      measurements,
      cause: { summary: 'No CDR was written within 5 s of the BYE.' },
      remedy: 'Look at the emulator’s error events: the CDR write may have failed.',
    };
  }
  if (facts.cdr.hangup_cause_name !== 'normal_hangup') {
    return {
      status: 'fail',
      summary: `The CDR says ${facts.cdr.hangup_cause_code ?? '?'} ${facts.cdr.hangup_cause_name ?? '?'}, not normal_hangup.`,
      measurements,
      cause: {
        summary: 'The CDR does not record a normal hangup for a call we ended with BYE.',
        ...(facts.cdr.hangup_cause_code != null ? { hangupCode: facts.cdr.hangup_cause_code } : {}),
        ...(facts.cdr.hangup_cause_name != null ? { hangupCauseName: facts.cdr.hangup_cause_name } : {}),
      },
      remedy: 'Compare the ladder with BEHAVIOUR.md §13: a customer BYE is 3010 normal_hangup.',
    };
  }
  return {
    status: 'pass',
    summary: `BYE answered; CDR ${facts.cdr.hangup_cause_code ?? ''} ${facts.cdr.hangup_cause_name}.`,
    measurements,
  };
}

export const hangupCdrCheck = callCheck({
  id: 'hangup-cdr',
  title: 'Hangup and CDR',
  description:
    'Our BYE ends the call as a normal hangup; on the emulator its CDR says normal_hangup (a real trunk’s CDR cannot be read: a warning).',
  timeoutMs: 40_000,
  async body(context, env, number) {
    const probe = await ProbeCall.dial(context, env, { number, label: `Hangup call to ${number}` });
    await probe.requireAnswer();
    const callId = probe.sip.messages
      .find((m) => m.localEnd === 'source')
      ?.text.match(/^Call-ID:\s*(\S+)/im)?.[1];
    await probe.pause(500);
    const end = await probe.finish();
    let cdr: HangupCdrFacts['cdr'] = 'unavailable';
    const emulator = env.emulator?.emulator;
    if (emulator !== undefined) {
      let record: CallDetailRecord | undefined;
      await probe.waitFor(() => {
        record = emulator.store.listCdrs({ limit: 50 }).objects.find((c) => c.call_id === callId);
        return record !== undefined;
      }, CDR_TIMEOUT_MS);
      cdr = record ?? 'missing';
      if (record !== undefined)
        context.note(`CDR ${record.call_uuid}: ${record.hangup_cause_code} ${record.hangup_cause_name}`);
    }
    return hangupCdrVerdict({
      endedBy: end.endedBy,
      hangupCode: end.hangup.code,
      hangupName: end.hangup.name,
      cdr,
    });
  },
});
