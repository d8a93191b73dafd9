// A contract trunk profile (settings.json) → the user agent's profile. The embedded emulator's profile dials the
// emulator's running UDP listener with the demo account's public password; a real trunk's password comes from the
// secret store and goes straight into the user agent (which keeps it as a `SecretString`), never into a log.

import { DEMO_ACCOUNT_CONFIG, DEMO_CREDENTIALS, type UaProfileInput } from '../../sip-core/src/index.js';
import type { TrunkProfile } from '../common/index.js';
import type { SoftphoneProfile } from './softphone-calls.js';

/** The demo account's DIDs routed to its inbound trunk: the emulator's inbound calls ring the softphone on these. */
export function demoInboundDids(): string[] {
  return (DEMO_ACCOUNT_CONFIG.numbers ?? [])
    .filter((n) => n.app_id !== undefined)
    .map((n) => `+${n.number.replace(/^\+/, '')}`);
}

export function softphoneProfile(profile: TrunkProfile, password: string | undefined): SoftphoneProfile {
  const emulator = profile.kind === 'emulator';
  const secret = emulator ? DEMO_CREDENTIALS.credential.password : password;
  const input: UaProfileInput = {
    name: profile.name,
    terminationDomain: profile.trunkDomain,
    outboundProxy: `${profile.proxyHost}:${profile.port}`,
    transport: profile.transport,
    callerIds: [...profile.callerIds],
    srtp: profile.srtp,
    ...(profile.username !== undefined && secret !== undefined
      ? { username: profile.username, password: secret }
      : {}),
    ...(emulator ? { dids: demoInboundDids(), allowedInboundSources: ['127.0.0.1/32'] } : {}),
    ...(profile.knowledge.enabledCountries !== undefined
      ? { enabledCountries: [...profile.knowledge.enabledCountries] }
      : {}),
    ...(profile.knowledge.barredCountries !== undefined
      ? { barredCountries: [...profile.knowledge.barredCountries] }
      : {}),
  };
  return { profileId: profile.id, input, trunkDomain: profile.trunkDomain, transport: profile.transport };
}
