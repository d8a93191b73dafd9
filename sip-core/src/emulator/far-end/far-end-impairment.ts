// A deliberate media fault on the far end's side of a call: the echo (or tone) muted in one direction, and
// optionally loss and jitter on what the far end sends. It exists so that a user — and the `two-way-audio`
// check's own tests — can rehearse the classic one-way-audio fault: RTP keeps flowing both ways at the normal
// rate (so packet counters look healthy) while one direction carries only silence, as a wrong NAT pinhole, a
// muted trunk leg or a media server bug would leave it (docs/adr/0116).
//
//   caller ──RTP──► far end ──(echo)──► caller
//            ▲                    ▲
//            │ 'to-far-end':      │ 'from-far-end':
//            │  the far end hears │  what the far end sends
//            │  silence           │  is replaced by silence
//
// Muting replaces samples, never packets: the far end still sends one packet per 20 ms.

import { z } from 'zod';
import { FRAME_SAMPLES } from '../../media/codec/pcm-frame.js';
import type { AudioSink, AudioSource } from '../../media/session/index.js';

export const FAR_END_MUTE_DIRECTIONS = ['none', 'to-far-end', 'from-far-end'] as const;
export type FarEndMuteDirection = (typeof FAR_END_MUTE_DIRECTIONS)[number];

export const farEndImpairmentSchema = z
  .object({
    /** Which direction carries silence: what the caller sends (`to-far-end`) or what the far end sends. */
    mute: z.enum(FAR_END_MUTE_DIRECTIONS).default('none'),
    /** Random loss on what the far end sends, 0..1 (media/impairment). */
    lossRate: z.number().min(0).max(1).default(0),
    /** Extra random delay on what the far end sends: uniform 0..jitterMs. */
    jitterMs: z.number().int().min(0).max(2_000).default(0),
    /** Seed of the loss and jitter draws, so a fault replays the same way. */
    seed: z.number().int().min(0).max(0xffff_ffff).default(1),
  })
  .strict();

export type FarEndImpairment = z.output<typeof farEndImpairmentSchema>;
export type FarEndImpairmentInput = z.input<typeof farEndImpairmentSchema>;

/** Whether the impairment changes anything at all. */
export function isImpaired(impairment: FarEndImpairment | null | undefined): impairment is FarEndImpairment {
  return (
    impairment != null && (impairment.mute !== 'none' || impairment.lossRate > 0 || impairment.jitterMs > 0)
  );
}

/** The far end's source with its output replaced by silence; it still reads the inner source (an echo drains). */
export function mutedSource(inner: AudioSource): AudioSource {
  return {
    read(out: Int16Array): void {
      inner.read(out);
      out.fill(0);
    },
  };
}

/** A sink that hands the far end silence instead of what the caller sent (the frame's length is kept). */
export function mutedSink(inner: AudioSink): AudioSink {
  const silence = new Int16Array(FRAME_SAMPLES);
  const silenceOf = (length: number): Int16Array =>
    length === FRAME_SAMPLES ? silence : new Int16Array(length);
  // Only what the inner sink listens to is wrapped: the session looks for `onArrived` to feed the echo's loop.
  const sink: { -readonly [K in keyof AudioSink]: AudioSink[K] } = {};
  if (inner.onReceived !== undefined) {
    sink.onReceived = (frame, kind) => inner.onReceived?.(silenceOf(frame.length), kind);
  }
  if (inner.onArrived !== undefined) {
    sink.onArrived = (samples, timestamp) => inner.onArrived?.(silenceOf(samples.length), timestamp);
  }
  return sink;
}
