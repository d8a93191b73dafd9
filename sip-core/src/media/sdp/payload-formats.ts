import type { MediaDescription } from './session-description.js';

// What each payload type of an RTP m= line means: its a=rtpmap, or for a static payload type without one the RFC 3551
// table (Zentrunk's own offers list PT 0 with an rtpmap, SIPp's default offers rely on the static meaning).

export interface PayloadFormat {
  readonly payloadType: number;
  readonly encodingName: string;
  readonly clockRateHz: number;
  readonly channels: number;
  /** The a=fmtp parameters, if any. */
  readonly parameters: string | undefined;
}

/** RFC 3551 §6, Table 4: the static audio payload types a telephone may meet. */
export const STATIC_AUDIO_PAYLOAD_TYPES: ReadonlyMap<number, { encodingName: string; clockRateHz: number }> =
  new Map([
    [0, { encodingName: 'PCMU', clockRateHz: 8000 }],
    [3, { encodingName: 'GSM', clockRateHz: 8000 }],
    [4, { encodingName: 'G723', clockRateHz: 8000 }],
    [8, { encodingName: 'PCMA', clockRateHz: 8000 }],
    [9, { encodingName: 'G722', clockRateHz: 8000 }],
    [13, { encodingName: 'CN', clockRateHz: 8000 }],
    [18, { encodingName: 'G729', clockRateHz: 8000 }],
  ]);

/**
 * The payload formats of an m= line in the order offered. Formats that are not numbers, and dynamic payload types
 * without an rtpmap, are left out: nobody can tell what they are.
 */
export function payloadFormatsOf(media: MediaDescription): PayloadFormat[] {
  const formats: PayloadFormat[] = [];
  for (const format of media.formats) {
    if (!/^\d+$/.test(format)) continue;
    const payloadType = Number(format);
    const rtpmap = media.rtpmaps.find((r) => r.payloadType === payloadType);
    const known = rtpmap ?? STATIC_AUDIO_PAYLOAD_TYPES.get(payloadType);
    if (!known) continue;
    formats.push({
      payloadType,
      encodingName: known.encodingName,
      clockRateHz: known.clockRateHz,
      channels: rtpmap?.channels ?? 1,
      parameters: media.fmtps.find((f) => f.payloadType === payloadType)?.parameters,
    });
  }
  return formats;
}
