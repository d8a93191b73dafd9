// TLS calls between the stack and baresip 1.0.0: baresip calls the test UAS over TLS (INVITE, 200, ACK, BYE), and
// the test UAC calls baresip over TLS with certificate verification on — our side checks baresip's certificate
// against the test CA, and the same call without that CA fails verification. baresip 1.0 itself does not verify
// the certificate our listener presents (it has no such setting), so that direction proves signalling only.

import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { BaresipControl, writeBaresipConfig } from '../../support/baresip.js';
import { freePorts } from '../../support/free-port.js';
import { requirePeer } from '../../support/peer-binary.js';
import { PeerProcesses } from '../../support/peer-process.js';
import { StackUac } from '../../support/stack-uac.js';
import { StackUas } from '../../support/stack-uas.js';
import { createTestPki, type TestCa, type TestPki } from '../../support/test-pki.js';

const peers = new PeerProcesses();
const controls: BaresipControl[] = [];
const closers: Array<() => Promise<void>> = [];
let dir: string;
let pki: TestPki;
let ca: TestCa;

beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'trunkline-stack-tls-'));
  pki = createTestPki();
  ca = pki.createCa('Trunkline Stack CA');
});
afterEach(async () => {
  for (const control of controls.splice(0)) control.close();
  await peers.stopAll();
  for (const close of closers.splice(0)) await close();
});
afterAll(() => {
  pki.dispose();
  rmSync(dir, { recursive: true, force: true });
});

async function startBaresip(accountParams: string) {
  const sipPort = await freePorts(2);
  const ctrlPort = await freePorts();
  const baresipDir = join(dir, `baresip-${sipPort}`);
  writeBaresipConfig({
    dir: baresipDir,
    sipPort,
    ctrlPort,
    ...ca.issue('127.0.0.1', ['IP:127.0.0.1']),
    ca: ca.cert,
    accountParams,
  });
  const process = peers.start('baresip', ['-f', baresipDir]);
  const control = await BaresipControl.connect(ctrlPort);
  controls.push(control);
  return { process, control, tlsPort: sipPort + 1 };
}

describe('the stack and baresip over TLS', () => {
  it('baresip calls the test UAS: the call is established and ends with BYE', async () => {
    if (!requirePeer('baresip')) return;
    const uas = await StackUas.start([{ transport: 'tls', tls: ca.issue('127.0.0.1', ['IP:127.0.0.1']) }]);
    closers.push(() => uas.close());
    const { process, control } = await startBaresip('');

    control.command('dial', `sip:uas@127.0.0.1:${uas.listener('tls').local.port};transport=tls`);
    await control.waitForEvent('CALL_ESTABLISHED').catch((error: Error) => {
      throw new Error(`${error.message}\n${process.output()}`);
    });
    await expect.poll(() => uas.counters.acks, { timeout: 5_000 }).toBe(1);
    control.command('hangup');
    await control.waitForEvent('CALL_CLOSED');
    await expect.poll(() => uas.counters.byes, { timeout: 5_000 }).toBe(1);
    expect(uas.counters).toMatchObject({ invites: 1, answered: 1, unexpected: 0, ackTimeouts: 0 });
    expect(uas.stack.counters).toMatchObject({ parseErrors: 0, viaMismatches: 0 });
  });

  it('the test UAC calls baresip with verification on; without the CA the call fails verification', async () => {
    if (!requirePeer('baresip')) return;
    const { process, control, tlsPort } = await startBaresip(';answermode=auto');
    const uri = `sip:tester@127.0.0.1:${tlsPort};transport=tls`;
    const identity = ca.issue('127.0.0.1', ['IP:127.0.0.1']);

    const verifying = await StackUac.start([{ transport: 'tls', tls: identity }], {
      transport: { tls: { ca: ca.cert } },
    });
    closers.push(() => verifying.close());
    const outcome = await verifying.call({ uri, holdMs: 1_000 });
    expect(outcome, process.output()).toEqual({ ok: true, detail: 'bye 200' });
    await control.waitForEvent('CALL_ESTABLISHED');
    await control.waitForEvent('CALL_CLOSED');
    const tlsConnections = verifying.stack.transport.connections().filter((c) => c.direction === 'outbound');
    expect(tlsConnections[0]?.peerCertificate?.issuer).toBe('CN=Trunkline Stack CA');

    const untrusting = await StackUac.start([{ transport: 'tls', tls: identity }]);
    closers.push(() => untrusting.close());
    const refused = await untrusting.call({ uri });
    expect(refused.ok).toBe(false);
    expect(refused.detail).toMatch(/^transport: .*certificate/i);
  });
});
