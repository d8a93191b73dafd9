// `two-way-audio`: audio really crosses the trunk both ways. Packet counters cannot tell: a far end that sends
// silence, or a media path that carries packets but drops their payload, counts as healthy. So the check listens:
// our 440 Hz tone must come back from the echo number (the round trip), and — on the emulator, which has a tone
// number — the far end's 1004 Hz tone must reach us (far end → us alone). Together they name the broken direction
// (docs/adr/0116):
//
//   echo back | far tone | verdict
//   yes       | yes/n.a. | pass
//   no        | yes      | fail: the far end does not hear us (us → far end)
//   no        | no       | fail: we do not hear the far end (far end → us)
//   no        | n.a.     | fail: one-way audio, direction unknown (an echo alone cannot tell)
//   yes       | no       | fail: the tone number's audio does not reach us (far end → us)
// with "no RTP at all" told apart from "RTP without the tone" by the packet counts in the measurements.

import type { ToneAnalysis } from '../../media/tone/tone-analysis.js';
import type { CheckOutcome, MeasuredValue } from '../runner/check-definition.js';
import { callCheck, PROBE_TONE_HZ, ProbeCall, round1, toneMeasurements } from './probe-call.js';

export interface AudioLegFacts {
  readonly toneHz: number;
  readonly sentPackets: number;
  readonly receivedPackets: number;
  readonly analysis: ToneAnalysis | undefined;
}

export interface TwoWayAudioFacts {
  /** Our tone, sent to the echo number and listened for in what comes back. */
  readonly echo: AudioLegFacts;
  /** The far end's tone (emulator tone number); undefined when no tone number is known. */
  readonly farTone: AudioLegFacts | undefined;
}

const DIRECTION_REMEDY =
  'One-way audio is almost always the media path: check NAT and firewall rules for RTP (UDP 10000–60000 from ' +
  'Plivo’s media networks, §2.2), that the SDP c= address is the public one, and that no SIP ALG rewrites it.';

export function twoWayAudioVerdict(facts: TwoWayAudioFacts): CheckOutcome {
  const { echo, farTone } = facts;
  const measurements: MeasuredValue[] = [
    { name: 'echoToneHz', value: echo.toneHz, unit: 'Hz' },
    { name: 'echoSentPackets', value: echo.sentPackets },
    { name: 'echoReceivedPackets', value: echo.receivedPackets },
    ...toneMeasurements('echo', echo.analysis),
    ...(farTone !== undefined
      ? [
          { name: 'farToneHz', value: farTone.toneHz, unit: 'Hz' },
          { name: 'farToneSentPackets', value: farTone.sentPackets },
          { name: 'farToneReceivedPackets', value: farTone.receivedPackets },
          ...toneMeasurements('farTone', farTone.analysis),
        ]
      : []),
  ];
  const echoHeard = echo.analysis?.present === true;
  const farHeard = farTone === undefined ? undefined : farTone.analysis?.present === true;
  if (echo.receivedPackets === 0) {
    return {
      status: 'fail',
      summary: `No RTP arrived from the echo number (${echo.sentPackets} packets sent).`,
      measurements,
      cause: { summary: 'No audio packets reach us at all: the media path from the trunk is blocked.' },
      remedy: DIRECTION_REMEDY,
    };
  }
  if (echoHeard && farHeard !== false) {
    const level = echo.analysis !== undefined ? ` at ${round1(echo.analysis.levelDbfs)} dBFS` : '';
    const far = farTone?.analysis !== undefined ? `; the far end's ${farTone.toneHz} Hz tone reaches us` : '';
    return {
      status: 'pass',
      summary: `Our ${echo.toneHz} Hz tone came back from the echo${level}${far}.`,
      measurements,
    };
  }
  const counts = `${echo.sentPackets} RTP packets sent, ${echo.receivedPackets} received`;
  if (!echoHeard && farHeard === true) {
    return oneWay(
      'us → far end',
      `One-way audio: the far end does not hear us — our ${echo.toneHz} Hz tone never came back, although ${counts} and the far end's own tone reaches us.`,
      measurements,
    );
  }
  if (farHeard === false) {
    return oneWay(
      'far end → us',
      `One-way audio: we do not hear the far end — neither the echo nor the far end's ${farTone!.toneHz} Hz tone arrives as sound, although ${counts}.`,
      measurements,
    );
  }
  return oneWay(
    'unknown',
    `One-way audio: our ${echo.toneHz} Hz tone did not come back from the echo, although ${counts}; an echo alone cannot tell which direction is silent.`,
    measurements,
  );
}

function oneWay(direction: string, summary: string, measurements: MeasuredValue[]): CheckOutcome {
  return {
    status: 'fail',
    summary,
    measurements: [...measurements, { name: 'silentDirection', value: direction }],
    cause: {
      summary: `Audio is silent in one direction (${direction}) while RTP packets flow: packet counters alone would call this call healthy.`,
    },
    remedy: DIRECTION_REMEDY,
  };
}

export const twoWayAudioCheck = callCheck({
  id: 'two-way-audio',
  title: 'Two-way audio',
  description:
    'A tone we send is detected coming back from the echo, and the far end’s tone is detected here: catches one-way audio, which packet counters miss.',
  async body(context, env, number) {
    context.progress(0.1, `tone to the echo ${number}`);
    const echoCall = await ProbeCall.dial(context, env, { number, label: `Echo call to ${number}` });
    const echo = await measureLeg(echoCall, PROBE_TONE_HZ);
    const waveforms = [
      echoCall.capture.evidence(`Heard from the echo ${number} (we sent ${PROBE_TONE_HZ} Hz)`),
    ];
    let farTone: AudioLegFacts | undefined;
    const emulator = env.emulator;
    if (emulator !== undefined) {
      context.progress(0.5, `listening to the tone number ${emulator.toneNumber}`);
      const toneCall = await ProbeCall.dial(context, env, {
        number: emulator.toneNumber,
        label: `Tone call to ${emulator.toneNumber}`,
      });
      farTone = await measureLeg(toneCall, emulator.toneHz);
      waveforms.push(toneCall.capture.evidence(`Heard from the tone number ${emulator.toneNumber}`));
    }
    const verdict = twoWayAudioVerdict({ echo, farTone });
    return { ...verdict, evidence: { waveforms } };
  },
});

/** Listens for `toneHz` on an answered call, hangs up and reads the packet counts of its end. */
async function measureLeg(probe: ProbeCall, toneHz: number): Promise<AudioLegFacts> {
  await probe.requireAnswer();
  const analysis = await probe.detectTone(toneHz);
  const end = await probe.finish();
  return {
    toneHz,
    sentPackets: end.stats?.sent.audioPackets ?? 0,
    receivedPackets: end.stats?.received.packets ?? 0,
    analysis,
  };
}
