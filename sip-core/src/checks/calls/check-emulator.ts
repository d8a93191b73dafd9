// `trunkline check --emulator`: the embedded emulator started on free loopback ports with the demo account, a
// check target and a trunk profile that point at it, and the call environment with the emulator attached so
// that the emulator-only checks run. The demo account is used as it is, except where the checks need the
// emulator to reach this process: the inbound trunk's origination URIs name the softphone's listener, and one
// more DID (`inbound-fallback`) has an unreachable primary URI and the softphone as its fallback.
//
//   startCheckEmulator() ─► free ports: softphone listener, a dead port ─► Emulator.start(demo + URIs)
//                         ─► { target, profile, environment, close() }

import { mkdtemp, rm } from 'node:fs/promises';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Clock } from '../../common/clock.js';
import { Emulator, parseEmulatorConfig, type FarEndImpairmentInput } from '../../emulator/index.js';
import { DEMO_ACCOUNT_CONFIG, DEMO_CREDENTIALS, DEMO_TRUNK_IDS, SecretString } from '../../policy/index.js';
import {
  loadTrunkProfile,
  type SignallingTransport,
  type TrunkProfile,
  type TrunkProfileInput,
} from '../../ua/index.js';
import { createCheckTarget, type CheckTarget } from '../target/check-target.js';
import { createCallCheckEnvironment, type CallCheckEnvironment } from './call-check-services.js';

/** The demo account's caller ID, echo number, tone number and second test number (emulator/README.md). */
export const EMULATOR_NUMBERS = {
  callerId: '+14155550101',
  echo: '+14155550111',
  tone: '+14155550112',
  toneHz: 1004,
  transfer: '+14155550112',
  inboundDid: '+14155550100',
  fallbackDid: '+14155550109',
  inboundCaller: '+14155550177',
} as const;

const FALLBACK_TRUNK_ID = '20000000000009';

export interface CheckEmulatorOptions {
  readonly clock: Clock;
  /** UDP or TCP use the demo credential trunk (digest); TLS the secure trunk (IP ACL, SRTP mandatory). Default UDP. */
  readonly transport?: SignallingTransport;
  /** A media fault on every far-end number (tests of the one-way-audio verdict). */
  readonly impairment?: FarEndImpairmentInput;
  readonly testNumber?: string;
  readonly transferNumber?: string;
  /**
   * Profile fields laid over the demo profile: how the broken-profile tests make a caller ID the account does not
   * own or SRTP mandatory on the plain trunk. The target follows the profile's first caller ID.
   */
  readonly profile?: Partial<TrunkProfileInput>;
}

export interface CheckEmulator {
  readonly emulator: Emulator;
  readonly target: CheckTarget;
  readonly profile: TrunkProfile;
  readonly environment: CallCheckEnvironment;
  /** Stops the softphone, then the emulator, and removes its data folder. Idempotent. */
  close(): Promise<void>;
}

export async function startCheckEmulator(options: CheckEmulatorOptions): Promise<CheckEmulator> {
  const transport = options.transport ?? 'udp';
  const phonePort = await freePort();
  const deadPort = await freePort();
  const dataDir = await mkdtemp(join(tmpdir(), 'trunkline-check-emulator-'));
  const account = structuredClone(DEMO_ACCOUNT_CONFIG) as unknown as DemoAccountShape;
  const phoneUri = `127.0.0.1:${phonePort};transport=${transport}`;
  account.origination_uris = [
    { uri_uuid: 'demo-primary-uri', name: 'Trunkline softphone (primary)', uri: phoneUri },
    { uri_uuid: 'demo-fallback-uri', name: 'Trunkline softphone (fallback)', uri: phoneUri },
    // Nothing listens there: the connection is refused at once, which is what makes the emulator fail over.
    { uri_uuid: 'check-dead-uri', name: 'Unreachable primary', uri: `127.0.0.1:${deadPort};transport=tcp` },
  ];
  account.trunks.push({
    trunk_id: FALLBACK_TRUNK_ID,
    name: 'Fallback check trunk',
    trunk_direction: 'inbound',
    primary_uri_uuid: 'check-dead-uri',
    fallback_uri_uuid: 'demo-fallback-uri',
  });
  account.numbers.push({
    number: EMULATOR_NUMBERS.fallbackDid.slice(1),
    alias: 'Fallback check DID',
    app_id: FALLBACK_TRUNK_ID,
  });
  const parsed = parseEmulatorConfig(
    {
      version: 1,
      dataDir,
      listen: { host: '127.0.0.1', udp: 0, tcp: 0, tls: transport === 'tls' ? 0 : null },
      account,
      ...(options.impairment !== undefined ? { farEnd: { impairment: options.impairment } } : {}),
    },
    { baseDir: dataDir, source: { kind: 'built-in' } },
  );
  if (!parsed.ok) {
    await rm(dataDir, { recursive: true, force: true });
    throw new Error(
      `The check emulator's configuration is invalid: ${parsed.issues.map((i) => `${i.path}: ${i.message}`).join('; ')}`,
    );
  }
  const emulator = await Emulator.start(parsed.value, { clock: options.clock, dataDir, stopGraceMs: 1_000 });
  const listener = emulator.addresses()[transport]!;
  const proxy = `${listener.address}:${listener.port}`;
  const secure = transport === 'tls';
  const trunkId = secure ? DEMO_TRUNK_IDS.secure : DEMO_TRUNK_IDS.credential;
  // The secure trunk admits loopback by its IP ACL: with credentials the auth check would only warn that they
  // were never asked for, so the TLS setup is the ACL case and the UDP/TCP setup the digest case.
  const credentials = secure ? undefined : DEMO_CREDENTIALS.credential;
  const domain = `${trunkId}.zt.plivo.com`;
  const ca = secure && emulator.caCertificatePem !== null ? [emulator.caCertificatePem] : [];
  const profile = loadTrunkProfile({
    name: 'Trunkline emulator (demo account)',
    terminationDomain: domain,
    outboundProxy: proxy,
    transport,
    ...(credentials !== undefined ? { username: credentials.username, password: credentials.password } : {}),
    callerIds: [EMULATOR_NUMBERS.callerId],
    srtp: secure ? 'mandatory' : 'off',
    ...(secure ? { tls: { caPem: ca, useSystemCas: false } } : {}),
    listen: { address: '127.0.0.1', port: phonePort },
    dids: [EMULATOR_NUMBERS.inboundDid, EMULATOR_NUMBERS.fallbackDid],
    ...options.profile,
  });
  const target = createCheckTarget({
    terminationDomain: domain,
    transport,
    port: listener.port,
    outboundProxy: { host: listener.address, port: listener.port },
    caCertificates: ca,
    ...(credentials !== undefined
      ? { credentials: { username: credentials.username, password: new SecretString(credentials.password) } }
      : {}),
    callerId: profile.callerIds[0] ?? EMULATOR_NUMBERS.callerId,
    testNumber: options.testNumber ?? EMULATOR_NUMBERS.echo,
    isEmulator: true,
  });
  const environment = createCallCheckEnvironment({
    clock: options.clock,
    profile,
    transferNumber: options.transferNumber ?? EMULATOR_NUMBERS.transfer,
    emulator: {
      emulator,
      toneNumber: EMULATOR_NUMBERS.tone,
      toneHz: EMULATOR_NUMBERS.toneHz,
      inboundDid: EMULATOR_NUMBERS.inboundDid,
      fallbackDid: EMULATOR_NUMBERS.fallbackDid,
      inboundCaller: EMULATOR_NUMBERS.inboundCaller,
    },
  });
  let closing: Promise<void> | undefined;
  return {
    emulator,
    target,
    profile,
    environment,
    close() {
      closing ??= (async () => {
        await environment.close();
        await emulator.stop();
        await rm(dataDir, { recursive: true, force: true });
      })();
      return closing;
    },
  };
}

interface DemoAccountShape {
  trunks: Record<string, unknown>[];
  origination_uris: Record<string, unknown>[];
  numbers: Record<string, unknown>[];
}

/**
 * A port free on 127.0.0.1 for both TCP and UDP right now (the OS picks a TCP one; UDP uses the same number). It
 * is released before use, so another process could take it in between: acceptable on loopback for a test run.
 */
function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      const port = typeof address === 'object' && address !== null ? address.port : 0;
      server.close(() => resolve(port));
    });
  });
}
