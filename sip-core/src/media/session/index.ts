// Front door of media/session: one call's audio stream (MediaSession), its sources and sinks, and the pieces it is
// built from (port allocation, pacing and the shared pacing scheduler, the RTP send stream, the RTCP interval).
export type { AudioSink, AudioSource } from './audio-source.js';
export { EchoSource, type EchoSourceStats } from './echo-source.js';
export {
  DEVIATION_BUCKET_MS,
  type DueFrames,
  deviationPercentileMs,
  FramePacer,
  type FramePacerOptions,
  type PacingStats,
} from './frame-pacer.js';
export { FrameScheduler, type FrameSchedulerOptions, type PacedTask } from './frame-scheduler.js';
export { type AudioLevels, LevelMeterSink } from './level-meter-sink.js';
export {
  MediaSession,
  type MediaSessionEvents,
  type MediaSessionOpenOptions,
  type MediaSessionOptions,
} from './media-session.js';
export { MediaPacketTap, type MediaPacketRecord } from './media-packet-tap.js';
export { MediaSessionError, type MediaSessionErrorCode } from './media-session-error.js';
export type { MediaReceiveStats, MediaSendStats, MediaSessionStats } from './media-session-stats.js';
export { type PcmFrameDirection, PcmFrameSink } from './pcm-frame-sink.js';
export { PcmPushSource, type PcmPushSourceOptions, type PcmPushSourceStats } from './pcm-push-source.js';
export { StandingQueueTrimmer, type StandingQueueTrimmerOptions } from './standing-queue-trimmer.js';
export { RTCP_MIN_INTERVAL_MS, rtcpIntervalMs } from './rtcp-interval.js';
export { RtpPortAllocator, type RtpPortLease, type RtpPortRange } from './rtp-port-allocator.js';
export { RtpSocketPool, type PooledRtpTransport, type RtpSocketPoolOptions } from './rtp-socket-pool.js';
export { RtpSendStream, type RtpSendStreamOptions } from './rtp-send-stream.js';
export { SilenceSource } from './silence-source.js';
export { ToneDetectorSink, type ToneDetectorSinkOptions } from './tone-detector-sink.js';
export { DEFAULT_TONE_LEVEL_DBFS, ToneSource } from './tone-source.js';
export { WavRecorderSink } from './wav-recorder-sink.js';
export { WavSource } from './wav-source.js';
