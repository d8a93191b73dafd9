// How the emulator, as the TLS client of an inbound call, treats the PBX's certificate (ADR 0128): by default it
// accepts any certificate, as PBXs rehearsing with self-signed `gentls_cert` material need; with verification on
// it refuses a certificate it cannot chain, and accepts one issued by a CA the user names. The PBX answers 486
// (its SRTP is not the point here): whether the INVITE reached it is what tells the handshake's outcome.

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

/** A PBX listening on TLS with a certificate from its own CA, and an emulator routing the demo DID to it. */
async function pbxBehindTls(tlsClient: (caPem: string) => TlsClientOptions | undefined): Promise<void> {
  pki = createTestPki();
  const ca = pki.createCa('pbx-ca');
  phone = await TestPbx.start('tls', 0, { client: {}, server: ca.issue('pbx', ['IP:127.0.0.1']) });
  phone.inboundAnswer = { kind: 'status', status: 486 };
  const account = structuredClone(DEMO_ACCOUNT_CONFIG) as unknown as {
    origination_uris: Array<{ uri: string }>;
  };
  const uri = `127.0.0.1:${phone.listener.local.port};transport=tls`;
  account.origination_uris[0].uri = uri;
  account.origination_uris[1].uri = uri;
  const client = tlsClient(ca.cert);
  harness = await startEmulator(
    { account, listen: { host: '127.0.0.1', udp: 0, tcp: 0, tls: 0 } },
    client === undefined ? {} : { tlsClient: client },
  );
}

const call = () =>
  harness!.emulator.placeInboundCall({ from: '+14155550101', to: '+14155550100', hangupAfterMs: 100 });

describe('Emulator — the PBX’s TLS certificate on inbound calls', () => {
  it('default: a certificate from a CA nobody configured is accepted (rehearsal with self-signed material)', async () => {
    await pbxBehindTls(() => undefined);
    expect(await call()).toMatchObject({ outcome: 'failed', leg: 'primary', sipStatus: 486 });
    expect(phone!.inboundInvites).toHaveLength(1);
  });

  it('verification on: the same certificate is refused, no INVITE reaches the PBX, the cause says TLS', async () => {
    await pbxBehindTls(() => ({ rejectUnauthorized: true }));
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
    await pbxBehindTls((caPem) => ({ ca: caPem, rejectUnauthorized: true }));
    expect(await call()).toMatchObject({ outcome: 'failed', leg: 'primary', sipStatus: 486 });
    expect(phone!.inboundInvites).toHaveLength(1);
  });
});
