// A far-end scenario: what the "PSTN" behind the emulator does with a call it is offered (BEHAVIOUR.md §4.3).
// Declarative and validated by a schema, so users write scenarios in the config file and the UI can edit them;
// `scenarioScript` turns one into timed steps. Times of the answer, the rejection and the 183 count from the
// moment the far end is offered the call; times of in-call actions count from the answer.

import { z } from 'zod';
import { eventForSymbol } from '../../media/dtmf/dtmf-symbols.js';
import { ECHO, RINGBACK_TONE, mediaSourceSchema } from './media-source.js';

const delayMs = z.number().int().min(0).max(86_400_000);
const positiveMs = z.number().int().positive().max(86_400_000);

/** `183 Session Progress` with SDP, then the media plays until the final response. */
export const earlyMediaSchema = z.object({
  afterMs: delayMs.default(0),
  media: mediaSourceSchema.default(RINGBACK_TONE),
});

export const dtmfActionSchema = z.object({
  /** RFC 4733 events as keypad symbols: 0-9, *, #, A-D, and ! for flash. */
  digits: z
    .string()
    .min(1)
    .max(64)
    .refine((digits) => Array.from(digits).every((c) => eventForSymbol(c) !== undefined), {
      message: 'DTMF digits 0-9, *, #, A-D or ! (flash)',
    }),
  /** After the answer. */
  afterMs: delayMs.default(1_000),
  /** Per digit; 40 ms is the shortest a receiver must recognise (ITU-T Q.24). */
  durationMs: z.number().int().min(40).max(5_000).default(100),
  gapMs: z.number().int().min(0).max(5_000).default(100),
});

export const holdActionSchema = z.object({
  /** After the answer: the far end re-INVITEs with `a=sendonly` (RFC 3264 §8.4). */
  afterMs: delayMs,
  /** After the hold: a re-INVITE with `a=sendrecv`; null stays on hold. */
  resumeAfterMs: positiveMs.nullable().default(null),
});

const answerSchema = z.object({
  kind: z.literal('answer'),
  /** Ringing time: `180 Ringing` is sent at once when this is above 0 (unless early media starts at once). */
  afterMs: delayMs.default(0),
  earlyMedia: earlyMediaSchema.nullable().default(null),
  media: mediaSourceSchema.default(ECHO),
  /** After the answer the far end sends BYE (3000 normal_hangup, carrier); null waits for the caller. */
  hangupAfterMs: positiveMs.nullable().default(null),
  dtmf: dtmfActionSchema.nullable().default(null),
  hold: holdActionSchema.nullable().default(null),
});

const rejectSchema = z.object({
  kind: z.literal('reject'),
  /** What the carrier answers; Zentrunk relays it per §4.3 (policy's `mapCarrierOutcome`). */
  status: z.number().int().min(400).max(699),
  /** Overrides the reason phrase of the relayed response. */
  reasonPhrase: z.string().min(1).max(128).optional(),
  afterMs: delayMs.default(0),
  earlyMedia: earlyMediaSchema.nullable().default(null),
});

const noAnswerSchema = z.object({
  kind: z.literal('no-answer'),
  /** §20's alternative: a ring time for this scenario; absent uses the `ringTimeoutMs` setting (60 s). */
  ringTimeoutMs: positiveMs.optional(),
  earlyMedia: earlyMediaSchema.nullable().default(null),
});

export const farEndScenarioSchema = z
  .discriminatedUnion('kind', [answerSchema, rejectSchema, noAnswerSchema])
  .superRefine((scenario, ctx) => {
    // A 183 after the final response would never be sent; say so instead of silently dropping it.
    if (
      scenario.earlyMedia &&
      scenario.kind !== 'no-answer' &&
      scenario.earlyMedia.afterMs > scenario.afterMs
    ) {
      ctx.addIssue({
        code: 'custom',
        path: ['earlyMedia', 'afterMs'],
        message: `must not be later than the ${scenario.kind === 'answer' ? 'answer' : 'rejection'} (afterMs)`,
      });
    }
  });

export type FarEndScenario = z.output<typeof farEndScenarioSchema>;
export type FarEndScenarioInput = z.input<typeof farEndScenarioSchema>;
export type AnswerScenario = Extract<FarEndScenario, { kind: 'answer' }>;
export type RejectScenario = Extract<FarEndScenario, { kind: 'reject' }>;
export type NoAnswerScenario = Extract<FarEndScenario, { kind: 'no-answer' }>;
