// Arrange helpers for the softphone's tests: a TestTrunk on one transport (TLS with a per-run test PKI) and a
// SoftphoneUserAgent pointed at it through an outbound proxy, both closed in teardown.

import type { SignallingTransport, TrunkProfileInput } from '../../src/ua/trunk-profile.js';
import { SoftphoneUserAgent, type SoftphoneOptions } from '../../src/ua/softphone-user-agent.js';
import type { Call } from '../../src/ua/call.js';
import type { CallEnd } from '../../src/ua/call-events.js';
import { createTestPki, type TestCa, type TestPki } from './test-pki.js';
import { TestTrunk, type TestTrunkOptions } from './test-trunk.js';

export const CALLER_ID = '+14155550101';
export const DID = '+14155550100';

let pki: TestPki | undefined;
let ca: TestCa | undefined;

/** One test CA per process, removed at exit. */
export function testCa(): TestCa {
  if (ca === undefined) {
    pki = createTestPki();
    ca = pki.createCa('Trunkline UA test CA');
    process.once('exit', () => pki?.dispose());
  }
  return ca;
}

export interface PhoneAndTrunk {
  readonly trunk: TestTrunk;
  readonly phone: SoftphoneUserAgent;
}

/** Starts a trunk on `transport` and a phone that calls through it; `register` adds both to teardown. */
export async function startPhoneAndTrunk(
  transport: SignallingTransport,
  register: (step: () => Promise<void>) => void,
  options: {
    trunk?: Omit<TestTrunkOptions, 'listen'>;
    profile?: Partial<TrunkProfileInput>;
    phone?: SoftphoneOptions;
  } = {},
): Promise<PhoneAndTrunk> {
  const tls = transport === 'tls' ? { tls: testCa().issue('127.0.0.1', ['IP:127.0.0.1']) } : {};
  const trunk = await TestTrunk.start({ listen: [{ transport, ...tls }], ...options.trunk });
  register(() => trunk.close());
  const phone = await SoftphoneUserAgent.start(
    {
      terminationDomain: '127.0.0.1',
      outboundProxy: `127.0.0.1:${trunk.listener(transport).local.port}`,
      transport,
      callerIds: [CALLER_ID],
      dids: [DID],
      srtp: transport === 'tls' ? 'mandatory' : 'optional',
      ...(transport === 'tls' ? { tls: { caPem: [testCa().cert], useSystemCas: false } } : {}),
      ...options.profile,
    },
    options.phone,
  );
  register(() => phone.stop());
  return { trunk, phone };
}

/** Resolves when `predicate` holds, polling every 20 ms; fails with `what` after `timeoutMs`. */
export async function until(predicate: () => boolean, what: string, timeoutMs = 5_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!predicate()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

/** Resolves when the call reaches `state` (or has passed it to `ended`, which fails the wait). */
export async function untilState(call: Call, state: Call['state'], timeoutMs = 5_000): Promise<void> {
  await until(() => call.state === state || call.state === 'ended', `call state ${state}`, timeoutMs);
  if (call.state !== state) {
    throw new Error(`the call ended instead of reaching ${state}: ${JSON.stringify(call.result?.hangup)}`);
  }
}

export function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

/** The end of a call, bounded. */
export function endOf(call: Call, timeoutMs = 10_000): Promise<CallEnd> {
  return Promise.race([
    call.ended,
    sleep(timeoutMs).then(() => {
      throw new Error(`the call did not end within ${timeoutMs} ms (state ${call.state})`);
    }),
  ]);
}
