// sip-core's public surface: nothing outside sip-core imports deeper than this file (ARCHITECTURE.md). It grows
// as the app needs more of the engine; each block names the layer it comes from. Names are listed, not
// re-exported with `*`, so that two layers' same-named types (store's and policy's `HangupSource`) cannot
// collide silently and the surface stays a reviewed list.

// common
export { systemClock, type Clock, type TimerHandle } from './common/clock.js';
export { ManualClock } from './common/manual-clock.js';
export { DisposableStore, toDisposable, type Disposable } from './common/disposable.js';
export { TrunklineError, describeError } from './common/errors.js';
export { bracketHost, hostAndPort } from './common/host-port.js';
export { TypedEmitter, type EventMap } from './common/typed-emitter.js';

// store
export {
  TrunklineStore,
  StoreError,
  JsonFileError,
  atomicWriteJson,
  readJsonFile,
  defaultDatabasePath,
  formatZentrunkTime,
  moveDatabaseAside,
  type CallDetailRecord,
  type NewCallDetailRecord,
  type CdrFilter,
  type CdrQuery,
  type CdrPage,
  type JsonFileRead,
  type StoredSipMessage,
  type StoreErrorCode,
  type TrunklineStoreOptions,
} from './store/index.js';

// policy
export {
  DEFAULT_POLICY_SETTINGS,
  DEMO_ACCOUNT_CONFIG,
  DEMO_CREDENTIALS,
  DEMO_TRUNK_IDS,
  HANGUP_CAUSES,
  classifyNumber,
  demoAccount,
  lookupHangupCode,
  predictOutbound,
  trunkDomain,
  type Account,
  type ClassifiedNumber,
  type NumberInfo,
  type NumberType,
  type PreDialKnowledge,
  type Prediction,
  type PredictionWarning,
  type HangupCauseEntry,
  SecretString,
} from './policy/index.js';

// checks: the default checks, their runner, targets and reports (the desktop host's Checks view)
export {
  CheckTargetError,
  CheckRunnerError,
  DEFAULT_CHECK_FAMILIES,
  OptionsRateGuard,
  createCheckReport,
  createCheckTarget,
  createDefaultCheckRunner,
  emulatorAccountFacts,
  exchangeLadder,
  parseCheckReport,
  renderHtmlReport,
  renderJsonReport,
  renderJunitReport,
  skipSummary,
  storeCheckReport,
  type CheckDefinition,
  type CheckFamily,
  type CheckReport,
  type CheckResult,
  type CheckTarget,
  type CheckTargetInput,
  type DefaultCheckRunnerOptions,
  type DefaultCheckServices,
  type EmulatorAccountFacts,
  type SkipReason,
} from './checks/index.js';

// emulator: the running server the app embeds, its built-in configuration and its events
export {
  Emulator,
  FarEndTable,
  defaultDataDir,
  loadEmulatorConfigOrThrow,
  newCallUuid,
  parseEmulatorConfig,
  type EmulatorAddresses,
  type EmulatorConfig,
  type EmulatorEvents,
} from './emulator/index.js';

// diagnostics
export {
  buildLadder,
  explainCall,
  explainHangup,
  ladderInputFromTrace,
  maskSdpKeys,
  parseExplainQuery,
  type CallExplanation,
  type CauseExplanation,
  type HangupExplanation,
  type LadderArrow,
  type LadderMessageInput,
  type SdpSummary,
  type SipLadder,
} from './diagnostics/index.js';

// media/session: the sources and sinks the desktop host plugs a call's audio into
export {
  PcmFrameSink,
  PcmPushSource,
  type AudioSink,
  type AudioSource,
  type PcmPushSourceStats,
} from './media/session/index.js';

// ua: the softphone the desktop host runs
export {
  Call,
  SoftphoneUserAgent,
  UaError,
  loadTrunkProfile as loadUaProfile,
  type CallEnd,
  type CallMediaState,
  type CallState as UaCallState,
  type OptionsStatus,
  type TransferProgress,
  type TrunkProfileInput as UaProfileInput,
  type TrunkProfile as UaProfile,
} from './ua/index.js';

// checks/calls: the call checks' environment the desktop host builds for a profile
export {
  createCallCheckEnvironment,
  EMULATOR_NUMBERS,
  type CallCheckEnvironment,
} from './checks/calls/index.js';

// call evidence: what the host records per softphone call (electron/host/call-evidence-store.ts) — the call's
// packet tap and Call-ID, the PCAP writer and reader, WAV recording and the header a crash left unfinished.
export type { MediaPacketRecord } from './media/session/index.js';
export { ToneSource, WavRecorderSink } from './media/session/index.js';
export { createWavHeader, WAV_HEADER_BYTES } from './media/wav/wav-writer.js';
export { readWav } from './media/wav/wav-reader.js';
export { analyzeTone } from './media/tone/tone-analysis.js';

// latency tap: the host's opt-in per-stage timestamps for bench:app read the G.711 audio of tapped RTP packets
export { parseRtpPacket } from './media/rtp/index.js';
export { decodeAlawSample, decodeMulawSample } from './media/codec/g711.js';
export {
  analyzeCaptureBytes,
  analyzeCaptureFile,
  FilePcapSink,
  MemoryPcapSink,
  PcapRecorder,
  type CaptureAnalysis,
  type SipRecordInput,
} from './diagnostics/pcap/index.js';
