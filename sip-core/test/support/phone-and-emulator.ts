// Arrange helpers for the softphone against the embedded emulator: the demo account with room for many calls per
// second (the acceptance tests place calls back to back; the demo's 1 CPS per trunk is the emulator's own test
// subject), an Emulator on 127.0.0.1 port 0 (TLS with its local CA when asked), and a SoftphoneUserAgent on the
// trunk that fits the transport — the IP-ACL trunk on UDP and TCP, the secure trunk (SRTP mandatory) on TLS, the
// credential trunk with its digest password when asked.

import {
  DEMO_ACCOUNT_CONFIG,
  DEMO_CREDENTIALS,
  DEMO_TRUNK_IDS,
} from '../../src/policy/account/demo-account.js';
import { SoftphoneUserAgent, type SoftphoneOptions } from '../../src/ua/softphone-user-agent.js';
import type { SignallingTransport, TrunkProfileInput } from '../../src/ua/trunk-profile.js';
import { startEmulator, type EmulatorHarness } from './emulator-harness.js';

export const DEMO_CALLER_ID = '+14155550101';
export const ECHO_NUMBER = '+14155550111';

/** The demo account with every outbound trunk drawing on a large account CPS pool, and extra numbers. */
export function roomyDemoAccount(extraNumbers: readonly string[] = []): Record<string, unknown> {
  const account = structuredClone(DEMO_ACCOUNT_CONFIG) as unknown as {
    limits: Record<string, unknown>;
    numbers: Array<Record<string, unknown>>;
  };
  account.limits = {
    ...account.limits,
    account_cps: 1_000,
    trunk_cps: {
      [DEMO_TRUNK_IDS.credential]: null,
      [DEMO_TRUNK_IDS.ipAcl]: null,
      [DEMO_TRUNK_IDS.secure]: null,
      [DEMO_TRUNK_IDS.pool]: null,
    },
  };
  for (const number of extraNumbers) account.numbers.push({ number: number.replace(/^\+/, '') });
  return account;
}

/** Which demo trunk a phone dials through. */
export type DemoTrunkKind = 'ip-acl' | 'credential' | 'secure';

/** `<trunk_id>.zt.plivo.com` of a demo trunk (the emulator's default suffix). */
export function demoTrunkDomain(kind: DemoTrunkKind): string {
  const id =
    kind === 'ip-acl'
      ? DEMO_TRUNK_IDS.ipAcl
      : kind === 'credential'
        ? DEMO_TRUNK_IDS.credential
        : DEMO_TRUNK_IDS.secure;
  return `${id}.zt.plivo.com`;
}

/** Starts an emulator with the roomy demo account (TLS listener too), closed by `register`'s teardown. */
export async function startRoomyEmulator(
  register: (step: () => Promise<void>) => void,
  file: Record<string, unknown> = {},
): Promise<EmulatorHarness> {
  const harness = await startEmulator({
    listen: { host: '127.0.0.1', udp: 0, tcp: 0, tls: 0 },
    account: roomyDemoAccount(),
    ...file,
  });
  register(() => harness.close());
  return harness;
}

/** The trunk profile of a phone that reaches `harness` on `transport` (the proxy is the emulator's listener). */
export function emulatorProfile(
  harness: EmulatorHarness,
  transport: SignallingTransport,
  kind: DemoTrunkKind = transport === 'tls' ? 'secure' : 'ip-acl',
): TrunkProfileInput {
  const listener = harness.emulator.addresses()[transport];
  if (listener === undefined) throw new Error(`the emulator does not listen on ${transport}`);
  // The secure trunk admits loopback by its ACL; only the credential trunk needs the digest password.
  const credentials = kind === 'credential' ? DEMO_CREDENTIALS.credential : undefined;
  return {
    terminationDomain: demoTrunkDomain(kind),
    outboundProxy: `${listener.address}:${listener.port}`,
    transport,
    callerIds: [DEMO_CALLER_ID],
    srtp: transport === 'tls' ? 'mandatory' : 'off',
    ...(credentials !== undefined ? { username: credentials.username, password: credentials.password } : {}),
    ...(transport === 'tls'
      ? { tls: { caPem: [harness.emulator.caCertificatePem!], useSystemCas: false } }
      : {}),
  };
}

/** A phone on `harness`, stopped by `register`'s teardown. */
export async function startPhoneOnEmulator(
  harness: EmulatorHarness,
  transport: SignallingTransport,
  register: (step: () => Promise<void>) => void,
  options: { kind?: DemoTrunkKind; profile?: Partial<TrunkProfileInput>; phone?: SoftphoneOptions } = {},
): Promise<SoftphoneUserAgent> {
  const phone = await SoftphoneUserAgent.start(
    { ...emulatorProfile(harness, transport, options.kind), ...options.profile },
    options.phone,
  );
  register(() => phone.stop());
  return phone;
}
