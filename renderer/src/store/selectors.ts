// Small named selectors (Signal-Desktop's habit): components never reach into the state's shape themselves.

import type { FeatureAvailability, TrunkProfile } from '../../../electron/common/index.js';
import type { AppState } from './app-store.js';

export const selectView = (s: AppState) => s.view;
export const selectConnection = (s: AppState) => s.connection;
export const selectInfo = (s: AppState) => s.info;
export const selectSettings = (s: AppState) => s.settings;
export const selectStartupError = (s: AppState) => s.startupError;
export const selectNotices = (s: AppState) => s.notices;
export const selectNumber = (s: AppState) => s.number;
export const selectPreDial = (s: AppState) => s.preDial;
export const selectDialError = (s: AppState) => s.dialError;
export const selectHistoryPage = (s: AppState) => s.historyPage;
export const selectHistoryFilter = (s: AppState) => s.historyFilter;
export const selectHistoryError = (s: AppState) => s.historyError;
export const selectHistoryLoading = (s: AppState) => s.historyLoading;
export const selectDiagnosis = (s: AppState) => s.diagnosis;
export const selectDiagnosisError = (s: AppState) => s.diagnosisError;
export const selectDiagnosisCallUuid = (s: AppState) => s.diagnosisCallUuid;
export const selectSelectedArrow = (s: AppState) => s.selectedArrow;
export const selectCapture = (s: AppState) => s.capture;
export const selectCaptureError = (s: AppState) => s.captureError;
export const selectEmulatorStatus = (s: AppState) => s.emulatorStatus;
export const selectEmulatorAccount = (s: AppState) => s.emulatorAccount;
export const selectEmulatorLiveCalls = (s: AppState) => s.emulatorLiveCalls;
export const selectEmulatorEvents = (s: AppState) => s.emulatorEvents;
export const selectEmulatorError = (s: AppState) => s.emulatorError;
export const selectEmulatorCa = (s: AppState) => s.emulatorCa;
export const selectChecksCatalog = (s: AppState) => s.checksCatalog;
export const selectChecksCatalogFor = (s: AppState) => s.checksCatalogFor;
export const selectChecksDeselected = (s: AppState) => s.checksDeselected;
export const selectChecksTestNumber = (s: AppState) => s.checksTestNumber;
export const selectChecksRun = (s: AppState) => s.checksRun;
export const selectChecksRuns = (s: AppState) => s.checksRuns;
export const selectChecksOpenedRun = (s: AppState) => s.checksOpenedRun;
export const selectChecksExpanded = (s: AppState) => s.checksExpanded;
export const selectChecksError = (s: AppState) => s.checksError;
export const selectChecksExport = (s: AppState) => s.checksExport;
export const selectChecksProfileId = (s: AppState) => s.checksProfileId ?? s.settings?.selectedProfileId;

export const selectProfiles = (s: AppState): readonly TrunkProfile[] => s.settings?.profiles ?? [];

export const selectSelectedProfile = (s: AppState): TrunkProfile | undefined =>
  s.settings?.profiles.find((p) => p.id === s.settings?.selectedProfileId);

export const selectCallerId = (s: AppState): string | undefined =>
  s.callerId ?? selectSelectedProfile(s)?.callerIds[0];

export const selectResolvedTheme = (s: AppState): 'light' | 'dark' => {
  const preference = s.settings?.theme ?? 'system';
  if (preference === 'system') return s.systemPrefersDark ? 'dark' : 'light';
  return preference;
};

export const selectFeature =
  (feature: keyof NonNullable<AppState['info']>['features']) =>
  (s: AppState): FeatureAvailability | undefined =>
    s.info?.features[feature];

export const selectLiveCalls = (s: AppState) => s.liveCalls;
export const selectEndedCall = (s: AppState) => s.endedCall;
export const selectCallErrors = (s: AppState) => s.callErrors;
export const selectAudioError = (s: AppState) => s.audioError;
export const selectTransferTarget = (s: AppState) => s.transferTarget;
export const selectConsultation = (s: AppState) => s.consultation;
export const selectCallAudio = (s: AppState) => s.callAudio;

let lastIncomingSource: AppState['liveCalls'] | undefined;
let lastIncoming: AppState['liveCalls'] = [];
/** Ringing inbound calls (memoised on the list, so the banner does not re-render on unrelated changes). */
export const selectIncomingCalls = (s: AppState): AppState['liveCalls'] => {
  if (s.liveCalls !== lastIncomingSource) {
    lastIncomingSource = s.liveCalls;
    lastIncoming = s.liveCalls.filter((c) => c.state === 'incoming');
  }
  return lastIncoming;
};

/** The call keyboard shortcuts act on: the newest live call that is not ringing in. */
export const selectActiveCall = (s: AppState) => s.liveCalls.filter((c) => c.state !== 'incoming').at(-1);
