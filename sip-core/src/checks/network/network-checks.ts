// The network-level checks in the order they run. The call checks of the next slice append theirs after
// `auth` (see README: "Adding the call checks").

import type { CheckDefinition } from '../runner/check-definition.js';
import { authCheck } from './auth-check.js';
import { dnsCheck } from './dns-check.js';
import type { NetworkCheckServices } from './network-check-services.js';
import { optionsCheck } from './options-check.js';
import { tlsCheck } from './tls-check.js';

export const NETWORK_CHECKS: readonly CheckDefinition<NetworkCheckServices>[] = Object.freeze([
  dnsCheck,
  tlsCheck,
  optionsCheck,
  authCheck,
]);
