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
