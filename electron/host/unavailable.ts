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

/** Each command that cannot be served today, with what it waits for. */
export const UNAVAILABLE_COMMANDS = {} as const satisfies Partial<Record<CommandName, MissingPart>>;

export type UnavailableCommand = keyof typeof UNAVAILABLE_COMMANDS;

export function unavailableError(part: MissingPart): ApiError {
  return { code: 'unavailable', message: part.message, missing: part.missing };
}

/** What `app.info` reports per feature. */
export function featureAvailability(): Record<PhoneFeature, FeatureAvailability> {
  return {
    softphone: { available: true },
    emulator: { available: true },
    checks: { available: true },
    audio: { available: true },
    history: { available: true },
    diagnosis: { available: true },
  };
}
