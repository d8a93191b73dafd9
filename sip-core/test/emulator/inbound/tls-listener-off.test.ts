// The emulator with its TLS listener switched off still connects out over TLS for an inbound call to a PBX whose
// origination URI says `transport=tls`. Its Via then names no port, and the PBX's responses come back on the
// connection the emulator opened: the stack must take them as its own (RFC 3261 §18.1.2 with the §19.1.2 default
// port), or the call hangs until Timer B and fails over for nothing.

import { afterEach, describe, expect, it } from 'vitest';
import { DEMO_ACCOUNT_CONFIG } from '../../../src/policy/account/demo-account.js';
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

async function tlsPbxAndEmulatorWithoutTls(credentials = false): Promise<void> {
  pki = createTestPki();
  phone = await TestPbx.start('tls', 0, {
    client: {},
    server: pki.createCa('pbx-ca').issue('pbx', ['IP:127.0.0.1']),
  });
  const account = structuredClone(DEMO_ACCOUNT_CONFIG) as unknown as {
    origination_uris: Array<Record<string, unknown>>;
  };
  const uri = `127.0.0.1:${phone.listener.local.port};transport=tls`;
  const auth = credentials
    ? { authentication_needed: true, username: 'pbxuser', password: 'pbx-secret' }
    : {};
  account.origination_uris[0] = { ...account.origination_uris[0], uri, ...auth };
  account.origination_uris[1] = { ...account.origination_uris[1], uri };
  harness = await startEmulator({ account, listen: { host: '127.0.0.1', udp: 0, tcp: 0, tls: null } });
}

const call = () =>
  harness!.emulator.placeInboundCall({ from: '+14155550101', to: '+14155550100', hangupAfterMs: 100 });

describe('Emulator — inbound calls over TLS with no TLS listener of its own', () => {
  it('the PBX’s final response on the emulator’s own connection ends the attempt (no Timer B, no failover)', async () => {
    await tlsPbxAndEmulatorWithoutTls();
    phone!.inboundAnswer = { kind: 'status', status: 486 };
    expect(await call()).toMatchObject({ outcome: 'failed', leg: 'primary', sipStatus: 486 });
    expect(phone!.inboundInvites).toHaveLength(1);
    expect(harness!.events.inboundCall!.map((e) => e.stage)).toEqual(['attempt', 'failed']);
  });

  it('a PBX that challenges: the ACK and the authenticated INVITE go over the same connection', async () => {
    await tlsPbxAndEmulatorWithoutTls(true);
    phone!.inboundAnswer = { kind: 'challenge', then: { kind: 'status', status: 486 } };
    expect(await call()).toMatchObject({ outcome: 'failed', leg: 'primary', sipStatus: 486 });
    expect(phone!.inboundInvites).toHaveLength(2);
    expect(phone!.inboundInvites[1]?.headers.get('authorization')).toContain('username="pbxuser"');
  });
});
