// The commands whose backend is not in sip-core yet, and what each waits for. They answer a typed `unavailable`
// error naming the missing part instead of pretending to work; the UI shows an honest state. This table is the
// next slices' checklist (electron/host/README.md lists it too): wiring a part means deleting its rows here and
// adding handlers in phone-service.ts.

import type { ApiError, CommandName, FeatureAvailability, PhoneFeature } from '../common/index.js';

export interface MissingPart {
  readonly feature: PhoneFeature;
  /** The sip-core part, as a newcomer finds it. */
  readonly missing: string;
  /** What the user reads. */
  readonly message: string;
}

export const SOFTPHONE: MissingPart = {
  feature: 'softphone',
  missing: 'softphone user agent (sip-core/src/ua)',
  message: 'Calling arrives with the softphone user agent, which is not part of this build yet.',
};

export const EMULATOR_ACCOUNT_EDITING: MissingPart = {
  feature: 'emulator',
  missing: 'account editing in electron/host (an emulator config file the host writes and restarts on)',
  message:
    "Editing the emulator's account arrives with a later slice; `trunkline emulator --config FILE` serves your own account today.",
};

export const CHECKS: MissingPart = {
  feature: 'checks',
  missing: 'check runner (sip-core/src/checks)',
  message: 'Trunk checks arrive with the check runner, which is not part of this build yet.',
};

export const AUDIO: MissingPart = {
  feature: 'audio',
  missing: 'softphone media sessions (sip-core/src/ua)',
  message: 'Audio flows once the softphone user agent is wired.',
};

/** Each command that cannot be served today, with what it waits for. */
export const UNAVAILABLE_COMMANDS = {
  'profiles.testConnection': SOFTPHONE,
  'calls.list': SOFTPHONE,
  'calls.dial': SOFTPHONE,
  'calls.answer': SOFTPHONE,
  'calls.decline': SOFTPHONE,
  'calls.hangup': SOFTPHONE,
  'calls.sendDtmf': SOFTPHONE,
  'calls.hold': SOFTPHONE,
  'calls.resume': SOFTPHONE,
  'calls.mute': SOFTPHONE,
  'calls.transferBlind': SOFTPHONE,
  'calls.transferAttended': SOFTPHONE,
  'emulator.saveAccount': EMULATOR_ACCOUNT_EDITING,
  'checks.list': CHECKS,
  'checks.run': CHECKS,
  'checks.runs': CHECKS,
  'checks.getRun': CHECKS,
} as const satisfies Partial<Record<CommandName, MissingPart>>;

export type UnavailableCommand = keyof typeof UNAVAILABLE_COMMANDS;

export function unavailableError(part: MissingPart): ApiError {
  return { code: 'unavailable', message: part.message, missing: part.missing };
}

/** What `app.info` reports per feature. */
export function featureAvailability(): Record<PhoneFeature, FeatureAvailability> {
  const missing = (part: MissingPart): FeatureAvailability => ({
    available: false,
    missing: part.missing,
    message: part.message,
  });
  return {
    softphone: missing(SOFTPHONE),
    emulator: { available: true },
    checks: missing(CHECKS),
    audio: missing(AUDIO),
    history: { available: true },
    diagnosis: { available: true },
  };
}
