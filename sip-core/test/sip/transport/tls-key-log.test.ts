import { readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { SslKeyLogFile } from '../../../src/diagnostics/pcap/index.js';
import { sipRequest } from '../../support/sip-bytes.js';
import { createTestPki, type TestCa, type TestCertificate, type TestPki } from '../../support/test-pki.js';
import { useTempDir } from '../../support/temp-dir.js';
import { nextMessage, TransportHarness } from '../../support/transport-harness.js';

// The 'tlsKeyLog' event: the NSS key log lines of every TLS connection, for SSLKEYLOGFILE export. Both ends of one
// handshake must report secrets for the same client random, or Wireshark could not match them to the capture.

let pki: TestPki;
let ca: TestCa;
let serverCert: TestCertificate;
beforeAll(() => {
  pki = createTestPki();
  ca = pki.createCa('Trunkline Key Log CA');
  serverCert = ca.issue('localhost', ['DNS:localhost', 'IP:127.0.0.1']);
});
afterAll(() => pki.dispose());

const harness = new TransportHarness();
afterEach(() => harness.dispose());
const tempDir = useTempDir('trunkline-keylog-');

/** `LABEL <client random hex> <secret hex>` (NSS key log format). */
const KEY_LOG_LINE = /^([A-Z0-9_]+) ([0-9a-f]{64}) ([0-9a-f]+)\n$/;

/** A TLS server and a client that trusts it; `connect()` sends one request and waits for its arrival. */
async function tlsPair() {
  const server = harness.layer();
  const { local } = await server.listen({ transport: 'tls', tls: serverCert });
  const client = harness.layer({ tls: { ca: ca.cert } });
  const connect = async (): Promise<void> => {
    const arriving = nextMessage(server);
    await client.send(sipRequest(), {
      transport: 'tls',
      host: '127.0.0.1',
      port: local.port,
      serverName: 'localhost',
    });
    await arriving;
  };
  return { server, client, connect };
}

describe('TLS key log', () => {
  it('reports matching key material on both ends of a connection, once someone listens', async () => {
    const { server, client, connect } = await tlsPair();
    const serverLines: string[] = [];
    const clientLines: string[] = [];
    // The server listens before anyone asks for keys: subscribing later must still turn key logging on.
    server.on('tlsKeyLog', (line) => serverLines.push(line.toString('latin1')));
    client.on('tlsKeyLog', (line) => clientLines.push(line.toString('latin1')));
    await connect();
    expect(clientLines.length).toBeGreaterThan(0);
    expect(serverLines.length).toBeGreaterThan(0);
    for (const line of [...clientLines, ...serverLines]) expect(line).toMatch(KEY_LOG_LINE);
    const randoms = (lines: string[]) => new Set(lines.map((l) => KEY_LOG_LINE.exec(l)![2]));
    expect(randoms(clientLines)).toEqual(randoms(serverLines));
  });

  it('writes the lines to an owner-only SSLKEYLOGFILE and counts them without exposing them', async () => {
    const { client, connect } = await tlsPair();
    const path = join(tempDir(), 'keys.log');
    const keyLog = SslKeyLogFile.open(path);
    keyLog.record(client);
    await connect();
    keyLog.dispose();
    const lines = readFileSync(path, 'latin1').split(/(?<=\n)/);
    expect(lines.length).toBe(keyLog.lines);
    expect(lines.length).toBeGreaterThan(0);
    for (const line of lines) expect(line).toMatch(KEY_LOG_LINE);
    expect(statSync(path).mode & 0o777).toBe(0o600);
    expect(JSON.stringify(keyLog)).not.toMatch(/[0-9a-f]{64}/);
  });
});
