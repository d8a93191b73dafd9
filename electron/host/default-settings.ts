// What a first start looks like: the embedded emulator's profile selected, so a new user can call within seconds
// with no account (issue 6, "First run"). The profile mirrors the demo account the emulator serves by default:
// its credential trunk, its documented demo user name, and its caller IDs.

import {
  DEFAULT_POLICY_SETTINGS,
  DEMO_ACCOUNT_CONFIG,
  DEMO_CREDENTIALS,
  DEMO_TRUNK_IDS,
} from '../../sip-core/src/index.js';
import type { Settings, TrunkProfile } from '../common/index.js';

export const EMULATOR_PROFILE_ID = 'emulator';
/** The emulator's default SIP port (emulator/config: `listen.udp`). */
export const EMULATOR_DEFAULT_PORT = 5060;

function demoCallerIds(): string[] {
  const dno = new Set(DEMO_ACCOUNT_CONFIG.permissions?.dno_numbers ?? []);
  return (DEMO_ACCOUNT_CONFIG.numbers ?? [])
    .filter((n) => n.app_id === undefined)
    .map((n) => `+${n.number.replace(/^\+/, '')}`)
    .filter((n) => !dno.has(n));
}

export function emulatorProfile(): TrunkProfile {
  return {
    id: EMULATOR_PROFILE_ID,
    name: 'Embedded emulator',
    kind: 'emulator',
    trunkDomain: `${DEMO_TRUNK_IDS.credential}.${DEFAULT_POLICY_SETTINGS.trunkDomainSuffix}`,
    proxyHost: '127.0.0.1',
    port: EMULATOR_DEFAULT_PORT,
    transport: 'udp',
    srtp: 'off',
    codecs: ['PCMU', 'PCMA'],
    username: DEMO_CREDENTIALS.credential.username,
    // The emulator's demo password is public and known to the host; nothing is stored for it.
    hasPassword: true,
    callerIds: demoCallerIds(),
    defaultCountry: 'US',
    knowledge: {},
  };
}

export function defaultSettings(): Settings {
  return {
    version: 1,
    theme: 'system',
    selectedProfileId: EMULATOR_PROFILE_ID,
    profiles: [emulatorProfile()],
    audio: { echoCancellation: true, noiseSuppression: true },
    history: {},
    shortcutsEnabled: true,
  };
}
