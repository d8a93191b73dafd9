// The emulator as the TLS client of an inbound call to a PBX whose origination URI says `transport=tls`.
//
// The PBX's certificate (ADR 0128): by default the emulator accepts any certificate, as PBXs rehearsing with
// self-signed `gentls_cert` material need; with verification on it refuses a certificate it cannot chain, and
// accepts one issued by a CA the user names. The PBX answers 486 (its SRTP is not the point here): whether the
// INVITE reached it is what tells the handshake's outcome.
//
// With its TLS listener switched off the emulator still connects out over TLS. Its Via then names no port, and the
// PBX's responses come back on the connection the emulator opened: the stack must take them as its own (RFC 3261
// §18.1.2 with the §19.1.2 default port), or the call hangs until Timer B and fails over for nothing.

import { afterEach, describe, expect, it } from 'vitest';
import { DEMO_ACCOUNT_CONFIG } from '../../../src/policy/account/demo-account.js';
import type { TlsClientOptions } from '../../../src/sip/transport/index.js';
import { startEmulator, type EmulatorHarness } from '../../support/emulator-harness.js';
import { TestPbx } from '../../support/test-pbx.js';
import { createTestPki, type TestPki } from '../../support/test-pki.js';

let harness: EmulatorHarness | undefined;
let phone: TestPbx | undefined;
let pki: TestPki | undefined;

afterEach(async () => {
  await harness?.close();
  await phone?.close();
  pki?.dispose();
  harness = phone = pki = undefined;
});

interface Setup {
  /** The emulator's TLS client options, given the PBX's CA certificate. */
  readonly tlsClient?: (caPem: string) => TlsClientOptions | undefined;
  /** The emulator's own TLS listener (default on). */
  readonly emulatorTls?: boolean;
  /** The primary origination URI carries credentials for the PBX's digest challenge. */
  readonly credentials?: boolean;
}

/** A PBX listening on TLS with a certificate from its own CA, and an emulator routing the demo DID to it. */
async function pbxBehindTls(setup: Setup = {}): Promise<void> {
  pki = createTestPki();
  const ca = pki.createCa('pbx-ca');
  phone = await TestPbx.start('tls', 0, { client: {}, server: ca.issue('pbx', ['IP:127.0.0.1']) });
  phone.inboundAnswer = { kind: 'status', status: 486 };
  const account = structuredClone(DEMO_ACCOUNT_CONFIG) as unknown as {
    origination_uris: Array<Record<string, unknown>>;
  };
  const uri = `127.0.0.1:${phone.listener.local.port};transport=tls`;
  const auth = setup.credentials
    ? { authentication_needed: true, username: 'pbxuser', password: 'pbx-secret' }
    : {};
  account.origination_uris[0] = { ...account.origination_uris[0], uri, ...auth };
  account.origination_uris[1] = { ...account.origination_uris[1], uri };
  const client = setup.tlsClient?.(ca.cert);
  harness = await startEmulator(
    { account, listen: { host: '127.0.0.1', udp: 0, tcp: 0, tls: setup.emulatorTls === false ? null : 0 } },
    client === undefined ? {} : { tlsClient: client },
  );
}

const call = () =>
  harness!.emulator.placeInboundCall({ from: '+14155550101', to: '+14155550100', hangupAfterMs: 100 });

describe('Emulator — the PBX’s TLS certificate on inbound calls', () => {
  it('default: a certificate from a CA nobody configured is accepted (rehearsal with self-signed material)', async () => {
    await pbxBehindTls();
    expect(await call()).toMatchObject({ outcome: 'failed', leg: 'primary', sipStatus: 486 });
    expect(phone!.inboundInvites).toHaveLength(1);
  });

  it('verification on: the same certificate is refused, no INVITE reaches the PBX, the cause says TLS', async () => {
    await pbxBehindTls({ tlsClient: () => ({ rejectUnauthorized: true }) });
    const result = await call();
    expect(result.outcome).toBe('failed');
    expect(result.sipStatus).toBeUndefined();
    expect(phone!.inboundInvites).toHaveLength(0);
    expect(result.cause?.code).toBe(4170);
    expect(result.transportError).toMatch(/certificate/i);
    expect(harness!.events.inboundCall!.at(-1)).toMatchObject({
      stage: 'failed',
      transportError: result.transportError,
    });
  });

  it('verification on with the PBX’s CA: accepted', async () => {
    await pbxBehindTls({ tlsClient: (caPem) => ({ ca: caPem, rejectUnauthorized: true }) });
    expect(await call()).toMatchObject({ outcome: 'failed', leg: 'primary', sipStatus: 486 });
    expect(phone!.inboundInvites).toHaveLength(1);
  });
});

describe('Emulator — inbound calls over TLS with no TLS listener of its own', () => {
  it('the PBX’s final response on the emulator’s own connection ends the attempt (no Timer B, no failover)', async () => {
    await pbxBehindTls({ emulatorTls: false });
    expect(await call()).toMatchObject({ outcome: 'failed', leg: 'primary', sipStatus: 486 });
    expect(phone!.inboundInvites).toHaveLength(1);
    expect(harness!.events.inboundCall!.map((e) => e.stage)).toEqual(['attempt', 'failed']);
  });

  it('a PBX that challenges: the ACK and the authenticated INVITE go over the same connection', async () => {
    await pbxBehindTls({ emulatorTls: false, credentials: true });
    phone!.inboundAnswer = { kind: 'challenge', then: { kind: 'status', status: 486 } };
    expect(await call()).toMatchObject({ outcome: 'failed', leg: 'primary', sipStatus: 486 });
    expect(phone!.inboundInvites).toHaveLength(2);
    expect(phone!.inboundInvites[1]?.headers.get('authorization')).toContain('username="pbxuser"');
  });
});
