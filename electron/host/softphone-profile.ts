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

/**
 * Where the demo account's inbound trunk sends its calls (its primary origination URI, `127.0.0.1:5080` over UDP):
 * the emulator profile's softphone listens there, so "place an inbound call" in the Emulator view rings the Phone
 * view (ADR 0143). When the port is taken the softphone listens on a free port and inbound calls do not reach it.
 */
export function demoOriginationPort(): number | undefined {
  const primary = DEMO_ACCOUNT_CONFIG.origination_uris?.find((u) => u.uri_uuid === 'demo-primary-uri');
  const match = /^127\.0\.0\.1:(\d+);transport=udp$/.exec(primary?.uri ?? '');
  return match?.[1] === undefined ? undefined : Number(match[1]);
}

export function softphoneProfile(profile: TrunkProfile, password: string | undefined): SoftphoneProfile {
  const emulator = profile.kind === 'emulator';
  const secret = emulator ? DEMO_CREDENTIALS.credential.password : password;
  const inboundPort = emulator ? demoOriginationPort() : undefined;
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
    ...(emulator && inboundPort !== undefined ? { listen: { address: '127.0.0.1', port: inboundPort } } : {}),
    ...(profile.knowledge.enabledCountries !== undefined
      ? { enabledCountries: [...profile.knowledge.enabledCountries] }
      : {}),
    ...(profile.knowledge.barredCountries !== undefined
      ? { barredCountries: [...profile.knowledge.barredCountries] }
      : {}),
  };
  return {
    profileId: profile.id,
    input,
    ...(inboundPort !== undefined
      ? { fallbackInput: { ...input, listen: { address: '127.0.0.1', port: 0 } } }
      : {}),
    trunkDomain: profile.trunkDomain,
    transport: profile.transport,
  };
}
