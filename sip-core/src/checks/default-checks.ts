// The check list `trunkline check` runs, in order: the network checks, then the emulator-only negative probes
// (which the runner skips on anything but the emulator). The call checks go between the two families.

import { NETWORK_CHECKS } from './network/network-checks.js';
import { PROBE_CHECKS } from './probes/negative-probes.js';
import type { ProbeCheckServices } from './probes/probe-check-services.js';
import type { CheckDefinition } from './runner/check-definition.js';

export const DEFAULT_CHECKS: readonly CheckDefinition<ProbeCheckServices>[] = [
  ...NETWORK_CHECKS,
  ...PROBE_CHECKS,
];
