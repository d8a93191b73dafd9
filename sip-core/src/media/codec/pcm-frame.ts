// The shape of audio inside Trunkline's media path. Zentrunk carries narrowband G.711, and the renderer's
// AudioWorklet, the WAV reader and the tone generator all meet the media session at this format: 8 kHz mono
// 16-bit linear PCM in frames of 20 ms (the default packetization time of RFC 3551 §4.5 for G.711).

/** The sample rate of every PCM frame in the media path. */
export const NARROWBAND_SAMPLE_RATE_HZ = 8000;

/** The duration of one frame: one RTP packet of G.711 at the default packetization time. */
export const FRAME_DURATION_MS = 20;

/** Samples in one frame (20 ms at 8 kHz). */
export const FRAME_SAMPLES = (NARROWBAND_SAMPLE_RATE_HZ * FRAME_DURATION_MS) / 1000;

/** The largest magnitude of a 16-bit sample, the reference for dBFS levels. */
export const PCM16_FULL_SCALE = 32768;
