// What the far end plays into a call: the caller's own audio back (echo), a tone, a WAV file or silence. A plain
// description; the media session (next to come, in media/session) turns it into frames.

import { z } from 'zod';

/** One sine of a tone, as media/tone's `ToneComponent`: frequency and level in dBFS (a full-scale sine is 0). */
export const toneComponentSchema = z.object({
  /** 8 kHz G.711 carries up to 4 kHz; the tone generator refuses the Nyquist frequency and above. */
  frequencyHz: z.number().min(20).max(3_900),
  levelDbfs: z.number().min(-60).max(0).default(-16),
});

/** On/off cadence of a tone, such as the US ringback (2 s on, 4 s off). */
export const cadenceSchema = z.object({
  onMs: z.number().int().positive(),
  offMs: z.number().int().min(0),
});

export const mediaSourceSchema = z.discriminatedUnion('kind', [
  /** Sends back what the caller sends, so a caller hears themselves: the quickest audio check there is. */
  z.object({ kind: z.literal('echo') }),
  /** One or more sines mixed, continuous or with a cadence. */
  z.object({
    kind: z.literal('tone'),
    tones: z.array(toneComponentSchema).min(1).max(4),
    cadence: cadenceSchema.nullable().default(null),
  }),
  /** A WAV file (path relative to the config file), played once or looped. */
  z.object({ kind: z.literal('wav'), file: z.string().min(1), loop: z.boolean().default(true) }),
  z.object({ kind: z.literal('silence') }),
]);

export type MediaSource = z.output<typeof mediaSourceSchema>;
export type MediaSourceInput = z.input<typeof mediaSourceSchema>;

/** ITU-T E.180 / North American ringback: 440 + 480 Hz, 2 s on, 4 s off, at about -19 dBm0. */
export const RINGBACK_TONE: MediaSource = {
  kind: 'tone',
  tones: [
    { frequencyHz: 440, levelDbfs: -22 },
    { frequencyHz: 480, levelDbfs: -22 },
  ],
  cadence: { onMs: 2_000, offMs: 4_000 },
};

/** A steady 1 kHz test tone (the classic milliwatt tone, here 16 dB below full scale). */
export const TEST_TONE: MediaSource = {
  kind: 'tone',
  tones: [{ frequencyHz: 1_004, levelDbfs: -16 }],
  cadence: null,
};

/** Echo: the default media of an answered call. */
export const ECHO: MediaSource = { kind: 'echo' };
