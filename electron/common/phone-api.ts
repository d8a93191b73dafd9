// The PhoneApi contract: every command the UI sends, what each answers, and every event the host pushes. Types
// only (plus the command name list in phone-api-commands.ts): Electron IPC (the preload's contextBridge) and
// the browser-mode WebSocket both carry exactly this, so the renderer cannot tell the shells apart, and the host
// implements it once (ARCHITECTURE.md, "One contract").

import type { ApiResult } from './api-result.js';
import type { AudioFrame } from './audio.js';
import type {
  AttendedTransferRequest,
  CallSnapshot,
  DialRequest,
  DtmfDigit,
  TransferRequest,
} from './calls.js';
import type {
  CheckDescription,
  CheckProgressEvent,
  CheckReportFormat,
  CheckRunRequest,
  CheckRunStartedEvent,
  CheckRunView,
} from './checks.js';
import type { CallCaptureView, CallDiagnosis, HangupExplanationView } from './diagnosis.js';
import type {
  EmulatorAccountDocument,
  EmulatorEvent,
  EmulatorLiveCall,
  EmulatorStatus,
  InboundCallRequest,
} from './emulator.js';
import type { CsvExport, HistoryFilter, HistoryPage, HistoryQuery } from './history.js';
import type { NumberClassification, PreDialCheck } from './numbers.js';
import type { PhoneApiVersion } from './phone-api-version.js';
import type { ConnectionTestResult, TrunkProfile, TrunkProfileInput } from './profiles.js';
import type { Settings, SettingsPatch, SettingsRecovery } from './settings.js';

/** Which shell carries the contract, and what it can do that the other cannot. */
export interface AppInfo {
  readonly apiVersion: PhoneApiVersion;
  readonly appVersion: string;
  readonly shell: 'electron' | 'browser';
  /** The data folder (settings, database). */
  readonly dataDir: string;
  /**
   * Where SIP passwords are kept: `os-keychain` (Electron safeStorage) or `file` (browser mode: a 0600 file;
   * the UI shows a visible warning, ARCHITECTURE.md decision 5).
   */
  readonly secretStorage: 'os-keychain' | 'file';
  /** The parts of Trunkline this build has wired; the UI shows an honest state for the others. */
  readonly features: Readonly<Record<PhoneFeature, FeatureAvailability>>;
}

export type PhoneFeature = 'softphone' | 'emulator' | 'checks' | 'history' | 'diagnosis' | 'audio';

export type FeatureAvailability =
  | { readonly available: true }
  | { readonly available: false; readonly missing: string; readonly message: string };

interface Command<P, R> {
  readonly params: P;
  readonly result: R;
}

/** Every command: its parameters and its result. `void` parameters are sent as `undefined`. */
export interface PhoneApiCommands {
  // App and settings
  'app.info': Command<void, AppInfo>;
  'settings.get': Command<void, Settings>;
  'settings.update': Command<SettingsPatch, Settings>;

  // Trunk profiles
  'profiles.list': Command<void, readonly TrunkProfile[]>;
  'profiles.save': Command<TrunkProfileInput, TrunkProfile>;
  'profiles.delete': Command<{ readonly profileId: string }, void>;
  'profiles.setPassword': Command<{ readonly profileId: string; readonly password: string }, TrunkProfile>;
  'profiles.testConnection': Command<{ readonly profileId: string }, ConnectionTestResult>;

  // Numbers and the pre-dial check
  'numbers.classify': Command<{ readonly number: string; readonly profileId?: string }, NumberClassification>;
  'calls.predict': Command<DialRequest, PreDialCheck>;

  // Calls (the softphone)
  'calls.list': Command<void, readonly CallSnapshot[]>;
  'calls.dial': Command<DialRequest, CallSnapshot>;
  'calls.answer': Command<{ readonly callId: string }, CallSnapshot>;
  'calls.decline': Command<{ readonly callId: string }, void>;
  'calls.hangup': Command<{ readonly callId: string }, void>;
  'calls.sendDtmf': Command<{ readonly callId: string; readonly digits: readonly DtmfDigit[] }, void>;
  'calls.hold': Command<{ readonly callId: string }, CallSnapshot>;
  'calls.resume': Command<{ readonly callId: string }, CallSnapshot>;
  'calls.mute': Command<{ readonly callId: string; readonly muted: boolean }, CallSnapshot>;
  'calls.transferBlind': Command<TransferRequest, CallSnapshot>;
  'calls.transferAttended': Command<AttendedTransferRequest, CallSnapshot>;

  // The embedded emulator
  'emulator.status': Command<void, EmulatorStatus>;
  'emulator.start': Command<void, EmulatorStatus>;
  'emulator.stop': Command<void, EmulatorStatus>;
  'emulator.exportCa': Command<void, { readonly pem: string; readonly fileName: string }>;
  'emulator.liveCalls': Command<void, readonly EmulatorLiveCall[]>;
  'emulator.getAccount': Command<void, EmulatorAccountDocument>;
  'emulator.saveAccount': Command<EmulatorAccountDocument, EmulatorAccountDocument>;
  /** Back to the built-in demo account (the saved file is kept as `.bak`); the emulator restarts with it. */
  'emulator.resetAccount': Command<void, EmulatorAccountDocument>;
  'emulator.placeInbound': Command<InboundCallRequest, { readonly callUuid: string }>;
  'emulator.recentEvents': Command<{ readonly limit?: number }, readonly EmulatorEvent[]>;

  // History and diagnosis
  'history.list': Command<HistoryQuery, HistoryPage>;
  'history.exportCsv': Command<{ readonly filter?: HistoryFilter }, CsvExport>;
  'diagnosis.get': Command<{ readonly callUuid: string }, CallDiagnosis>;
  'diagnosis.explain': Command<{ readonly query: string }, HangupExplanationView>;
  'diagnosis.exportPcap': Command<{ readonly callUuid: string }, CsvExport>;
  'diagnosis.getCapture': Command<{ readonly callUuid: string }, CallCaptureView>;
  'diagnosis.deleteCapture': Command<{ readonly callUuid: string }, CallCaptureView>;

  // Checks
  /** The registry for a profile (default: the selected one), each check marked applicable or not. */
  'checks.list': Command<{ readonly profileId?: string }, readonly CheckDescription[]>;
  /** Starts a run and answers at once; one run at a time (`checks.progress`, `checks.finished` follow). */
  'checks.run': Command<CheckRunRequest, { readonly runId: string }>;
  /** Aborts the run in progress: the running check and the rest finish as skipped. */
  'checks.cancel': Command<{ readonly runId: string }, { readonly cancelled: boolean }>;
  /** The run in progress, if any (a window that opens mid-run). */
  'checks.active': Command<void, CheckRunView | null>;
  'checks.runs': Command<{ readonly limit?: number; readonly offset?: number }, readonly CheckRunView[]>;
  'checks.getRun': Command<{ readonly runId: string }, CheckRunView>;
  'checks.exportReport': Command<{ readonly runId: string; readonly format: CheckReportFormat }, CsvExport>;
}

export type CommandName = keyof PhoneApiCommands;
export type CommandParams<C extends CommandName> = PhoneApiCommands[C]['params'];
export type CommandResult<C extends CommandName> = PhoneApiCommands[C]['result'];

/** Every event the host pushes. */
export interface PhoneApiEvents {
  'settings.changed': Settings;
  /** The settings file could not be used; defaults (or the backup) are in effect. */
  'settings.recovered': SettingsRecovery;
  'call.updated': CallSnapshot;
  'call.incoming': CallSnapshot;
  'emulator.status': EmulatorStatus;
  'emulator.event': EmulatorEvent;
  /** A call was recorded in the store: the history list refreshes. */
  'history.recorded': { readonly callUuid: string };
  'checks.started': CheckRunStartedEvent;
  'checks.progress': CheckProgressEvent;
  'checks.finished': CheckRunView;
  /** Something the user should know that belongs to no view (the host's problems, in their words). */
  'host.notice': {
    readonly level: 'info' | 'warning' | 'error';
    readonly code: string;
    readonly message: string;
  };
}

export type EventName = keyof PhoneApiEvents;
export type Unsubscribe = () => void;

/** `invoke(command)` for commands without parameters, `invoke(command, params)` for the others. */
export type ParamsArgs<C extends CommandName> =
  CommandParams<C> extends void ? [] : [params: CommandParams<C>];

/** What the renderer holds: one object, whichever shell carries it. */
export interface PhoneApi {
  invoke<C extends CommandName>(command: C, ...params: ParamsArgs<C>): Promise<ApiResult<CommandResult<C>>>;
  on<E extends EventName>(event: E, listener: (payload: PhoneApiEvents[E]) => void): Unsubscribe;
  /** Microphone frames to the host's media session of `frame.callId`. */
  sendAudio(frame: AudioFrame): void;
  /** Frames to play. */
  onAudio(listener: (frame: AudioFrame) => void): Unsubscribe;
}
