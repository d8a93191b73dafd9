// `outbound-call`: one call to the test number through the trunk — post-dial delay, answer, the codec, and SRTP
// when the trunk is secure. A rejection is explained in Zentrunk's terms from the softphone's hangup explanation
// (X-ZT-Hangup-Code first, BEHAVIOUR.md §13), so "caller ID not owned" reads as 4190 with its remedy. The
// verdict is a pure function of the facts (`outboundCallVerdict`), tested as a table.

import type { HangupExplanation, SrtpMode } from '../../ua/index.js';
import type { CheckOutcome, MeasuredValue } from '../runner/check-definition.js';
import { callCheck, ProbeCall } from './probe-call.js';

export interface OutboundCallFacts {
  readonly number: string;
  readonly answered: boolean;
  /** Why the call ended, when it was not answered. */
  readonly hangup?: Pick<
    HangupExplanation,
    'code' | 'name' | 'sipStatus' | 'sipReason' | 'meaning' | 'remedy'
  >;
  readonly postDialDelayMs?: number;
  readonly timeToAnswerMs?: number;
  readonly codec?: string;
  /** The SDES suite negotiated; undefined for plain RTP. */
  readonly srtpSuite?: string;
  /** The profile's SRTP policy. */
  readonly srtpMode: SrtpMode;
  /** TLS signalling: Zentrunk's secure trunking, where media is SRTP (§2.3). */
  readonly secureSignalling: boolean;
}

const SRTP_REMEDY =
  'Either enable secure trunking on the Zentrunk trunk (TLS on 5061 and SRTP, §2.3) or set "srtp": "off" ' +
  '(or "optional") in the trunk profile.';

export function outboundCallVerdict(facts: OutboundCallFacts): CheckOutcome {
  const measurements: MeasuredValue[] = [
    { name: 'answered', value: facts.answered },
    ...(facts.postDialDelayMs !== undefined
      ? [{ name: 'postDialDelayMs', value: facts.postDialDelayMs, unit: 'ms' }]
      : []),
    ...(facts.timeToAnswerMs !== undefined
      ? [{ name: 'timeToAnswerMs', value: facts.timeToAnswerMs, unit: 'ms' }]
      : []),
    ...(facts.codec !== undefined ? [{ name: 'codec', value: facts.codec }] : []),
    { name: 'srtpRequired', value: facts.srtpMode === 'mandatory' },
    { name: 'srtpNegotiated', value: facts.srtpSuite !== undefined },
    ...(facts.srtpSuite !== undefined ? [{ name: 'srtpSuite', value: facts.srtpSuite }] : []),
    ...(facts.hangup?.sipStatus !== undefined ? [{ name: 'sipStatus', value: facts.hangup.sipStatus }] : []),
    ...(facts.hangup?.code !== undefined ? [{ name: 'hangupCode', value: facts.hangup.code }] : []),
  ];
  if (!facts.answered) {
    const hangup = facts.hangup;
    const status =
      hangup?.sipStatus !== undefined ? `${hangup.sipStatus} ${hangup.sipReason ?? ''}`.trim() : 'no answer';
    const named = hangup?.code !== undefined ? ` — ${hangup.code} ${hangup.name ?? ''}`.trimEnd() : '';
    // A secure-only offer refused as unacceptable media is the SRTP mismatch, whatever code the trunk chose.
    if (facts.srtpMode === 'mandatory' && (hangup?.sipStatus === 488 || hangup?.sipStatus === 415)) {
      return {
        status: 'fail',
        summary: `The call to ${facts.number} was refused (${status}${named}): the profile requires SRTP and the trunk does not accept it.`,
        measurements,
        cause: {
          summary:
            'SRTP is mandatory in the trunk profile (an RTP/SAVP-only offer), but the trunk is a plain trunk: it refused the secure media.',
          ...causeCodes(hangup),
        },
        remedy: SRTP_REMEDY,
      };
    }
    return {
      status: 'fail',
      summary: `The call to ${facts.number} was not answered: ${status}${named}.`,
      measurements,
      cause: {
        summary: hangup?.meaning ?? `The trunk did not answer the call (${status}).`,
        ...causeCodes(hangup),
      },
      remedy:
        hangup?.remedy ??
        'Check the caller ID, the test number and the trunk’s settings in the Plivo console; the ladder shows the exchange.',
    };
  }
  if (facts.srtpMode === 'mandatory' && facts.srtpSuite === undefined) {
    return {
      status: 'fail',
      summary: `The call was answered with plain RTP although the profile requires SRTP.`,
      measurements,
      cause: {
        summary:
          'SRTP is mandatory in the trunk profile, but the trunk answered with plain RTP (no a=crypto).',
      },
      remedy: SRTP_REMEDY,
    };
  }
  if (facts.secureSignalling && facts.srtpSuite === undefined) {
    return {
      status: 'warning',
      summary: 'The call was answered over TLS, but the media is plain RTP: anyone on the path can listen.',
      measurements,
      cause: { summary: 'Secure signalling without SRTP: the profile allows plain media on a TLS trunk.' },
      remedy: 'Set "srtp": "mandatory" in the trunk profile so that media is always encrypted (§2.3).',
    };
  }
  const pdd = facts.postDialDelayMs !== undefined ? `, post-dial delay ${facts.postDialDelayMs} ms` : '';
  return {
    status: 'pass',
    summary: `Answered${pdd}; ${facts.codec ?? 'unknown codec'}, ${facts.srtpSuite ?? 'plain RTP'}.`,
    measurements,
  };
}

function causeCodes(hangup: OutboundCallFacts['hangup']): {
  hangupCode?: number;
  hangupCauseName?: string;
  sipStatus?: number;
} {
  return {
    ...(hangup?.code !== undefined ? { hangupCode: hangup.code } : {}),
    ...(hangup?.name !== undefined ? { hangupCauseName: hangup.name } : {}),
    ...(hangup?.sipStatus !== undefined ? { sipStatus: hangup.sipStatus } : {}),
  };
}

export const outboundCallCheck = callCheck({
  id: 'outbound-call',
  title: 'Outbound call',
  description:
    'A call to the test number through the trunk: post-dial delay, answer, the codec negotiated, and SRTP when the trunk is secure.',
  dependsOn: ['tls', 'options'],
  async body(context, env, number) {
    context.progress(0.1, `calling ${number}`);
    const probe = await ProbeCall.dial(context, env, { number, label: `Call to ${number}` });
    const answered = await probe.answered();
    const media = probe.call.mediaState;
    if (answered) {
      context.progress(0.6, 'answered');
      await probe.pause(500);
    }
    const end = await probe.finish();
    return outboundCallVerdict({
      number,
      answered,
      ...(answered ? {} : { hangup: end.hangup }),
      ...(end.timings.postDialDelayMs !== undefined
        ? { postDialDelayMs: Math.round(end.timings.postDialDelayMs) }
        : {}),
      ...(end.timings.timeToAnswerMs !== undefined
        ? { timeToAnswerMs: Math.round(end.timings.timeToAnswerMs) }
        : {}),
      ...(media !== undefined ? { codec: media.codec } : {}),
      ...(media?.srtpSuite !== undefined ? { srtpSuite: media.srtpSuite } : {}),
      srtpMode: env.profile.srtp,
      secureSignalling: env.profile.transport === 'tls',
    });
  },
});
