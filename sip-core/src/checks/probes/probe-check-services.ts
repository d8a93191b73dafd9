// What the negative probes need beyond the network checks: the emulator's account and settings, from which every
// probe derives what to send and what to expect (ADR 0118). Present only when the target is the emulator; the
// runner never runs an emulator-only check anywhere else.

import type { NetworkCheckServices } from '../network/network-check-services.js';
import type { EmulatorAccountFacts } from './probe-plan.js';

export interface ProbeCheckServices extends NetworkCheckServices {
  /** The running emulator's account and §20 settings (`emulatorAccountFacts(emulator)`). */
  readonly emulatorAccount?: EmulatorAccountFacts;
  /**
   * The call checks' pacer when they run in the same run: a probe waits until the trunk's CPS window of the last
   * test call has passed, so it is refused for what it probes, not with 503/5180 for a call before it.
   */
  readonly callPacer?: { quiet(signal?: AbortSignal): Promise<void> };
}

/** The facts of a running emulator (or anything holding its config): its account and settings as it enforces them. */
export function emulatorAccountFacts(emulator: {
  readonly config: EmulatorAccountFacts;
}): EmulatorAccountFacts {
  return { account: emulator.config.account, settings: emulator.config.settings };
}
