// The checks Trunkline runs by default, grouped in families, and the one function that assembles a runner with
// their services. `trunkline check` and the desktop host both call `createDefaultCheckRunner`, so a check added
// to a family here appears in the CLI and in the app's Checks view at once, with nothing to wire per check.
//
// Families are how the Checks view groups the list (network, calls, emulator-only probes); a family is a label
// on a list of definitions, not a rule: safety and dependencies stay on each definition, where the runner
// enforces them.

import type { Clock } from '../common/clock.js';
import { CheckRunner } from './runner/check-runner.js';
import type { CheckDefinition } from './runner/check-definition.js';
import {
  createNetworkCheckServices,
  type NetworkCheckServices,
  type NetworkCheckServicesOptions,
} from './network/network-check-services.js';
import { CALL_CHECKS } from './calls/call-checks.js';
import {
  recordCallsInto,
  type CallCheckEnvironment,
  type CallCheckServices,
} from './calls/call-check-services.js';
import { NETWORK_CHECKS } from './network/network-checks.js';
import { PROBE_CHECKS } from './probes/negative-probes.js';
import type { EmulatorAccountFacts } from './probes/probe-plan.js';
import type { ProbeCheckServices } from './probes/probe-check-services.js';

/** What the default checks use: each family's services (a family that needs more widens this). */
export type DefaultCheckServices = NetworkCheckServices & ProbeCheckServices & CallCheckServices;

/** `network`, `calls`, `probes` today; a new family is a new entry in `DEFAULT_CHECK_FAMILIES`. */
export interface CheckFamily {
  readonly id: string;
  readonly title: string;
  readonly checks: readonly CheckDefinition<DefaultCheckServices>[];
}

/** In run order: a family may depend on the families before it (the call checks depend on `auth`). */
export const DEFAULT_CHECK_FAMILIES: readonly CheckFamily[] = Object.freeze([
  { id: 'network', title: 'Network', checks: NETWORK_CHECKS },
  { id: 'calls', title: 'Calls', checks: CALL_CHECKS },
  // Emulator-only: the runner skips them on any other target, whatever the selection (ADR 0110, 0118).
  { id: 'probes', title: 'Emulator-only negative probes', checks: PROBE_CHECKS },
]);

export const DEFAULT_CHECKS: readonly CheckDefinition<DefaultCheckServices>[] = Object.freeze(
  DEFAULT_CHECK_FAMILIES.flatMap((family) => family.checks),
);

/** The family a check id belongs to, for the views that group checks. */
export function checkFamilyOf(checkId: string): CheckFamily | undefined {
  return DEFAULT_CHECK_FAMILIES.find((family) => family.checks.some((check) => check.id === checkId));
}

export interface DefaultCheckRunnerOptions extends NetworkCheckServicesOptions {
  /** The emulator's account and settings when the target is the emulator (`emulatorAccountFacts(emulator)`). */
  readonly emulatorAccount?: EmulatorAccountFacts;
  /** The call checks' softphone and numbers; absent (no trunk profile), the call checks are skipped. */
  readonly calls?: CallCheckEnvironment;
}

/**
 * A runner over `DEFAULT_CHECKS` with their services. A long-lived caller (the desktop host) passes one
 * `optionsGuard` to every runner it makes, so that OPTIONS stay one per 15 s per target across runs.
 */
export function createDefaultCheckRunner(
  options: DefaultCheckRunnerOptions & { readonly clock: Clock },
): CheckRunner<DefaultCheckServices> {
  return new CheckRunner({
    checks: DEFAULT_CHECKS,
    services: {
      ...createNetworkCheckServices(options),
      ...(options.emulatorAccount !== undefined ? { emulatorAccount: options.emulatorAccount } : {}),
      ...(options.calls !== undefined ? { callPacer: options.calls.pacer } : {}),
      // The call checks' SIP and media join the run's capture, like the probes' SIP (`trunkline check --pcap`).
      calls:
        options.calls !== undefined && options.capture !== undefined
          ? recordCallsInto(options.calls, options.capture)
          : options.calls,
    },
    clock: options.clock,
  });
}
