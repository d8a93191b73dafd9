// `inbound` and `inbound-fallback`: the emulator, as Zentrunk, places a PSTN call to a DID (§5): it is delivered
// to the origination URI — this softphone's listener — answered, and audio crosses both ways (the emulator's caller
// echoes our tone back). `inbound-fallback` dials a DID whose primary URI is unreachable: Zentrunk must fail over
// to the fallback URI (§20). It is emulator-only because it has to break the primary, which on a real account
// would mean taking the user's PBX down (docs/adr/0117). On a real trunk `inbound` does not apply: Zentrunk
// places inbound calls only when the PSTN calls the DID, which this tool cannot do.

import type { Disposable } from '../../common/disposable.js';
import type { ToneAnalysis } from '../../media/tone/tone-analysis.js';
import type { Call } from '../../ua/index.js';
import { ECHO, type InboundCallResult } from '../../emulator/index.js';
import type { CheckDefinition, CheckOutcome, MeasuredValue } from '../runner/check-definition.js';
import type { CallCheckServices } from './call-check-services.js';
import {
  ANSWER_TIMEOUT_MS,
  callCheck,
  PROBE_TONE_HZ,
  ProbeCall,
  SipRecorder,
  toneMeasurements,
  withinMs,
  type CallCheckContext,
} from './probe-call.js';

export interface InboundFacts {
  readonly did: string;
  /** The leg that must answer: the primary URI, or the fallback when the primary is down. */
  readonly expectedLeg: 'primary' | 'fallback';
  /** The emulator's view; undefined when the call never reached us and the emulator gave no result. */
  readonly result: Pick<InboundCallResult, 'outcome' | 'leg' | 'sipStatus' | 'cause'> | undefined;
  readonly sentPackets: number;
  readonly receivedPackets: number;
  /** Our tone as it came back through the emulator's echoing caller. */
  readonly echo: ToneAnalysis | undefined;
  /** The profile requires SRTP: a plain offer is refused with 488, and that is the cause to name. */
  readonly srtpRequired?: boolean;
}

export function inboundVerdict(facts: InboundFacts): CheckOutcome {
  const { result } = facts;
  const measurements: MeasuredValue[] = [
    { name: 'did', value: facts.did },
    { name: 'outcome', value: result?.outcome ?? 'not delivered' },
    { name: 'answeredLeg', value: result?.leg ?? 'none' },
    { name: 'sentPackets', value: facts.sentPackets },
    { name: 'receivedPackets', value: facts.receivedPackets },
    ...toneMeasurements('echo', facts.echo),
  ];
  if (result?.outcome === 'failed' && result.sipStatus === 488 && facts.srtpRequired === true) {
    return {
      status: 'fail',
      summary: `The call to ${facts.did} was refused here (488): the profile requires SRTP and the trunk offered plain RTP.`,
      measurements,
      cause: {
        summary:
          'SRTP is mandatory in the trunk profile, but the inbound call came with a plain RTP offer: the softphone refused it.',
        sipStatus: 488,
        ...(result.cause !== undefined
          ? { hangupCode: result.cause.code, hangupCauseName: result.cause.causeName }
          : {}),
      },
      remedy:
        'Enable secure trunking (a TLS origination URI, so Zentrunk offers SRTP, §8) or set "srtp": "optional" in the trunk profile.',
    };
  }
  if (result === undefined || result.outcome !== 'answered') {
    return {
      status: 'fail',
      summary: `The call to ${facts.did} was not answered at the origination URI${result?.sipStatus !== undefined ? ` (${result.sipStatus})` : ''}.`,
      measurements,
      cause: {
        summary: `Zentrunk could not deliver the call: ${result?.cause?.causeName ?? 'no answer from the origination URI'}.`,
        ...(result?.cause !== undefined
          ? { hangupCode: result.cause.code, hangupCauseName: result.cause.causeName }
          : {}),
        ...(result?.sipStatus !== undefined ? { sipStatus: result.sipStatus } : {}),
      },
      remedy:
        'Check the inbound trunk’s origination URIs point at a listener that accepts calls from Zentrunk’s networks (§2.2, §5) for this DID.',
    };
  }
  if (result.leg !== facts.expectedLeg) {
    return {
      status: 'fail',
      summary: `Answered by the ${result.leg ?? 'unknown'} URI, not the ${facts.expectedLeg}.`,
      measurements,
      cause: { summary: `The ${facts.expectedLeg} origination URI did not take the call.` },
      remedy: 'Check the order of the primary and fallback origination URIs on the inbound trunk.',
    };
  }
  if (facts.echo?.present !== true) {
    return {
      status: 'fail',
      summary: `Answered on the ${result.leg} URI, but our tone did not come back (${facts.sentPackets} packets sent, ${facts.receivedPackets} received).`,
      measurements,
      cause: { summary: 'The inbound call has no audio in at least one direction.' },
      remedy:
        'Check that the SDP our answer carries has an address Zentrunk’s media servers can reach, and the firewall lets RTP in.',
    };
  }
  return {
    status: 'pass',
    summary: `The call to ${facts.did} was answered on the ${result.leg} URI with audio both ways.`,
    measurements,
  };
}

function inboundCheck(
  id: 'inbound' | 'inbound-fallback',
  expectedLeg: 'primary' | 'fallback',
): CheckDefinition<CallCheckServices> {
  return callCheck({
    id,
    title: expectedLeg === 'primary' ? 'Inbound call' : 'Inbound fallback',
    description:
      expectedLeg === 'primary'
        ? 'The emulator places a call to the origination URI (this softphone): answered, audio both ways.'
        : 'With the primary origination URI unreachable, the call reaches the fallback URI and is answered with audio.',
    dependsOn: ['options'],
    safety: expectedLeg === 'primary' ? 'safe' : 'emulator-only',
    needsTestNumber: false,
    async body(context, env) {
      const access = env.emulator;
      const did = expectedLeg === 'primary' ? access?.inboundDid : access?.fallbackDid;
      if (access === undefined || did === undefined) {
        return {
          status: 'skipped',
          summary:
            access?.inboundUnavailableReason ??
            'Inbound calls are placed by the emulator only: on a real trunk, call your DID from a phone and answer it.',
        };
      }
      return runInbound(context, access.emulator, access.inboundCaller, did, expectedLeg, env);
    },
  });
}

async function runInbound(
  context: CallCheckContext,
  emulator: NonNullable<NonNullable<CallCheckServices['calls']>['emulator']>['emulator'],
  caller: string,
  did: string,
  expectedLeg: 'primary' | 'fallback',
  env: NonNullable<CallCheckServices['calls']>,
): Promise<CheckOutcome> {
  const phone = await env.phone();
  await env.pacer.next(context.signal);
  const sip = new SipRecorder(phone);
  let subscription: Disposable | undefined;
  const incoming = new Promise<Call>((resolve) => {
    subscription = phone.on('incoming', (call) => resolve(call));
  });
  context.progress(0.1, `the emulator calls ${did}`);
  const placing = emulator.placeInboundCall({ from: caller, to: did, media: ECHO });
  const first = (await withinMs(
    context.clock,
    Promise.race([
      incoming.then((call) => ({ kind: 'call' as const, call })),
      placing.then(
        (r) => ({ kind: 'result' as const, result: r }),
        (error: unknown) => ({ kind: 'error' as const, error }),
      ),
    ]),
    ANSWER_TIMEOUT_MS,
  )) ?? { kind: 'timeout' as const };
  subscription?.dispose();
  if (first.kind !== 'call') {
    sip.dispose();
    if (first.kind === 'error') throw first.error;
    return inboundVerdict({
      did,
      expectedLeg,
      result: first.kind === 'result' ? first.result : undefined,
      sentPackets: 0,
      receivedPackets: 0,
      echo: undefined,
      srtpRequired: env.profile.srtp === 'mandatory',
    });
  }
  const probe = await ProbeCall.accept(context, first.call, sip, { label: `Inbound call to ${did}` });
  const result = await placing;
  context.progress(0.5, `answered on the ${result.leg ?? '?'} URI`);
  const echo = await probe.detectTone(PROBE_TONE_HZ);
  const end = await probe.finish();
  return inboundVerdict({
    did,
    expectedLeg,
    result,
    sentPackets: end.stats?.sent.audioPackets ?? 0,
    receivedPackets: end.stats?.received.packets ?? 0,
    echo,
  });
}

export const inboundCallCheck = inboundCheck('inbound', 'primary');
export const inboundFallbackCheck = inboundCheck('inbound-fallback', 'fallback');
