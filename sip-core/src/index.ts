// sip-core's public surface: nothing outside sip-core imports deeper than this file (ARCHITECTURE.md). It grows
// as the app needs more of the engine; each block names the layer it comes from. Names are listed, not
// re-exported with `*`, so that two layers' same-named types (store's and policy's `HangupSource`) cannot
// collide silently and the surface stays a reviewed list.

// common
export { systemClock, type Clock, type TimerHandle } from './common/clock.js';
export { ManualClock } from './common/manual-clock.js';
export { DisposableStore, toDisposable, type Disposable } from './common/disposable.js';
export { TrunklineError, describeError } from './common/errors.js';
export { TypedEmitter, type EventMap } from './common/typed-emitter.js';

// store
export {
  TrunklineStore,
  StoreError,
  JsonFileError,
  atomicWriteJson,
  readJsonFile,
  defaultDatabasePath,
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
} from './policy/index.js';

// emulator: the running server the app embeds, its built-in configuration and its events
export {
  Emulator,
  FarEndTable,
  defaultDataDir,
  loadEmulatorConfigOrThrow,
  type EmulatorAddresses,
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
  type SdpSummary,
  type SipLadder,
} from './diagnostics/index.js';

// call evidence: what the host records per softphone call (electron/host/call-evidence-store.ts) — the call's
// packet tap and Call-ID, the PCAP writer and reader, WAV recording and the header a crash left unfinished.
export { SoftphoneUserAgent, type Call } from './ua/index.js';
export type { MediaPacketRecord } from './media/session/index.js';
export { ToneSource, WavRecorderSink } from './media/session/index.js';
export { createWavHeader, WAV_HEADER_BYTES } from './media/wav/wav-writer.js';
export { readWav } from './media/wav/wav-reader.js';
export { analyzeTone } from './media/tone/tone-analysis.js';
export {
  analyzeCaptureBytes,
  analyzeCaptureFile,
  FilePcapSink,
  MemoryPcapSink,
  PcapRecorder,
  type CaptureAnalysis,
  type SipRecordInput,
} from './diagnostics/pcap/index.js';
