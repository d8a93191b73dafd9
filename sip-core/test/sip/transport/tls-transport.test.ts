import { X509Certificate } from 'node:crypto';
import type { AddressInfo } from 'node:net';
import tls from 'node:tls';
import { inspect } from 'node:util';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { SipTraceRecord } from '../../../src/sip/trace/trace-records.js';
import type { HostResolver } from '../../../src/sip/transport/host-resolver.js';
import { SipTlsVerificationError, SipTransportError } from '../../../src/sip/transport/transport-errors.js';
import { sipRequest } from '../../support/sip-bytes.js';
import { createTestPki, type TestCa, type TestCertificate, type TestPki } from '../../support/test-pki.js';
import { nextMessage, TransportHarness, waitFor } from '../../support/transport-harness.js';

const SERVER_NAME = 'sip.trunkline.test';
/** Every *.trunkline.test name is this machine: DNS is not involved. */
const resolver: HostResolver = (host) =>
  host.endsWith('.trunkline.test')
    ? Promise.resolve({ address: '127.0.0.1', family: 4 })
    : Promise.reject(new Error('not a test name'));

let pki: TestPki;
let ca: TestCa;
let serverCert: TestCertificate;
let expiredCert: TestCertificate;
let strangerCert: TestCertificate;
let clientCert: TestCertificate;

beforeAll(() => {
  pki = createTestPki();
  ca = pki.createCa('Trunkline Test CA');
  serverCert = ca.issue(SERVER_NAME, [`DNS:${SERVER_NAME}`, 'DNS:localhost', 'IP:127.0.0.1']);
  expiredCert = ca.issue(SERVER_NAME, [`DNS:${SERVER_NAME}`, 'IP:127.0.0.1'], { expired: true });
  strangerCert = pki.createCa('Stranger CA').issue(SERVER_NAME, [`DNS:${SERVER_NAME}`, 'IP:127.0.0.1']);
  clientCert = ca.issue('softphone', ['DNS:softphone.trunkline.test']);
});
afterAll(() => pki.dispose());

const harness = new TransportHarness();
afterEach(() => harness.dispose());

async function tlsServer(certificate: TestCertificate = serverCert, clientAuth = false) {
  const server = harness.layer();
  const { local } = await server.listen({
    transport: 'tls',
    tls: {
      ...certificate,
      ...(clientAuth ? { ca: ca.cert, requestClientCertificate: true, requireClientCertificate: true } : {}),
    },
  });
  return { server, port: local.port };
}

function verificationFailure(error: unknown): { reason: string; verifyCode: string } | undefined {
  return error instanceof SipTlsVerificationError
    ? { reason: error.reason, verifyCode: error.verifyCode }
    : undefined;
}

describe('TLS transport', () => {
  it('verifies the server against a configured CA, sends SNI, and exposes the certificate on both sides', async () => {
    const { server, port } = await tlsServer();
    const client = harness.layer({ resolver, tls: { ca: ca.cert } });
    const arriving = nextMessage(server);
    const sent = await client.send(sipRequest(), { transport: 'tls', host: SERVER_NAME, port });
    const { context } = await arriving;
    expect(context.transport).toBe('tls');
    expect(context.tlsServerName).toBe(SERVER_NAME);

    const connection = client.connection(sent.connectionId ?? '');
    const x509 = new X509Certificate(serverCert.cert);
    expect(connection).toMatchObject({ direction: 'outbound', serverName: SERVER_NAME });
    expect(connection?.tlsProtocol).toMatch(/^TLSv1\.[23]$/);
    expect(connection?.peerCertificate).toEqual({
      subject: `CN=${SERVER_NAME}, O=Trunkline Test`,
      subjectCommonName: SERVER_NAME,
      issuer: 'CN=Trunkline Test CA',
      subjectAltNames: [`DNS:${SERVER_NAME}`, 'DNS:localhost', 'IP Address:127.0.0.1'],
      validFromMs: Date.parse(x509.validFrom),
      validToMs: Date.parse(x509.validTo),
      fingerprintSha256: x509.fingerprint256,
      serialNumber: x509.serialNumber,
    });
    expect(server.connection(context.connectionId ?? '')).toMatchObject({
      direction: 'inbound',
      serverName: SERVER_NAME,
    });

    const response = nextMessage(client, '200 OK');
    await server.send(Buffer.from('SIP/2.0 200 OK\r\nContent-Length: 0\r\n\r\n'), context.connectionId ?? '');
    const answer = await response;
    expect(answer.context.connectionId).toBe(sent.connectionId);
    expect(answer.context.tlsPeerCertificate?.fingerprintSha256).toBe(x509.fingerprint256);
  });

  it('adds the configured CA to the default roots instead of replacing them, unless asked', async () => {
    const { server, port } = await tlsServer();
    const arriving = nextMessage(server);
    const added = harness.layer({ resolver, tls: { ca: ca.cert } });
    await added.send(sipRequest(), { transport: 'tls', host: SERVER_NAME, port });
    await arriving;
    // With replaceDefaultCa and a CA that did not issue the certificate, nothing else is trusted.
    const replaced = harness.layer({
      resolver,
      tls: { ca: tls.rootCertificates[0] ?? '', replaceDefaultCa: true },
    });
    const error = await replaced
      .send(sipRequest(), { transport: 'tls', host: SERVER_NAME, port })
      .catch((e: unknown) => e);
    expect(verificationFailure(error)?.reason).toBe('unknown-ca');
  });

  it('verifies an IP destination against the IP SANs, without SNI', async () => {
    const { server, port } = await tlsServer();
    const client = harness.layer({ tls: { ca: ca.cert } });
    const arriving = nextMessage(server);
    await client.send(sipRequest(), { transport: 'tls', host: '127.0.0.1', port });
    const { context } = await arriving;
    expect(context.tlsServerName).toBeUndefined();
  });

  it('reuses a TLS connection for the same name, but opens another for a different name at the same address', async () => {
    const { port } = await tlsServer();
    const client = harness.layer({ resolver, tls: { ca: ca.cert } });
    const first = await client.send(sipRequest(), { transport: 'tls', host: SERVER_NAME, port });
    const again = await client.send(sipRequest(), { transport: 'tls', host: SERVER_NAME, port });
    expect(again.connectionId).toBe(first.connectionId);
    const other = await client.send(sipRequest(), {
      transport: 'tls',
      host: '127.0.0.1',
      port,
      serverName: 'localhost',
    });
    expect(other.connectionId).not.toBe(first.connectionId);
    expect(client.connections().map((c) => c.serverName)).toEqual([SERVER_NAME, 'localhost']);
  });

  it('uses an explicit serverName for SNI and verification when connecting by IP', async () => {
    const { server, port } = await tlsServer();
    const client = harness.layer({ tls: { ca: ca.cert } });
    const arriving = nextMessage(server);
    await client.send(sipRequest(), { transport: 'tls', host: '127.0.0.1', port, serverName: SERVER_NAME });
    expect((await arriving).context.tlsServerName).toBe(SERVER_NAME);
  });

  it.each([
    ['an unknown CA (verification is on by default)', () => serverCert, {}, SERVER_NAME, 'unknown-ca'],
    [
      'a hostname the certificate does not list',
      () => serverCert,
      { ca: 'CA' },
      'other.trunkline.test',
      'hostname-mismatch',
    ],
    ['an expired certificate', () => expiredCert, { ca: 'CA' }, SERVER_NAME, 'expired'],
    ['a certificate from another CA', () => strangerCert, { ca: 'CA' }, SERVER_NAME, 'unknown-ca'],
  ] as const)(
    'rejects %s with a typed error naming the reason',
    async (_name, certificate, options, host, reason) => {
      const { server, port } = await tlsServer(certificate());
      const records: SipTraceRecord[] = [];
      server.trace.subscribe((record) => records.push(record));
      const client = harness.layer({ resolver, tls: 'ca' in options ? { ca: ca.cert } : {} });
      const error = await client
        .send(sipRequest(), { transport: 'tls', host, port })
        .catch((e: unknown) => e);
      expect(error).toBeInstanceOf(SipTransportError);
      expect(error).toMatchObject({ code: 'SIP_TLS_VERIFICATION_FAILED', reason });
      expect((error as Error).message).toContain(`tls:${host}:${port}`);
      expect(client.connections()).toEqual([]);
      // The server never delivered anything from the refused client.
      await waitFor(() => server.connections().length === 0, 'the server to drop the refused connection');
      expect(records.some((r) => r.kind === 'message')).toBe(false);
    },
  );

  it('connects without verification only when told to', async () => {
    const { server, port } = await tlsServer(strangerCert);
    const client = harness.layer({ resolver, tls: { rejectUnauthorized: false } });
    const arriving = nextMessage(server);
    const sent = await client.send(sipRequest(), { transport: 'tls', host: 'other.trunkline.test', port });
    await arriving;
    expect(client.connection(sent.connectionId ?? '')?.peerCertificate?.issuer).toBe('CN=Stranger CA');
  });

  it('presents a client certificate, which the server exposes in the context (mutual TLS)', async () => {
    const { server, port } = await tlsServer(serverCert, true);
    const client = harness.layer({ resolver, tls: { ca: ca.cert, ...clientCert } });
    const arriving = nextMessage(server);
    await client.send(sipRequest(), { transport: 'tls', host: SERVER_NAME, port });
    const { context } = await arriving;
    expect(context.tlsPeerCertificate?.subjectCommonName).toBe('softphone');
    expect(context.tlsPeerCertificate?.issuer).toBe('CN=Trunkline Test CA');
  });

  it('refuses clients below TLS 1.2 and traces the failed handshake', async () => {
    const { server, port } = await tlsServer();
    const records: SipTraceRecord[] = [];
    server.trace.subscribe((record) => records.push(record));
    const outcome = await new Promise<string>((resolve) => {
      const socket = tls.connect({
        host: '127.0.0.1',
        port,
        rejectUnauthorized: false,
        minVersion: 'TLSv1',
        maxVersion: 'TLSv1.1',
        // OpenSSL 3 disables TLS 1.1 at the default security level; lower it so the client really offers 1.1.
        ciphers: 'DEFAULT@SECLEVEL=0',
      });
      socket.once('secureConnect', () => {
        socket.destroy();
        resolve('connected');
      });
      socket.once('error', (error: NodeJS.ErrnoException) => resolve(error.code ?? error.message));
    });
    expect(outcome).not.toBe('connected');
    await waitFor(
      () => records.some((r) => r.kind === 'drop' && r.reason === 'tls-handshake-failed'),
      'the drop record',
    );
    const drop = records.find((r) => r.kind === 'drop');
    expect(drop?.kind === 'drop' && drop.detail).toMatch(/protocol|version/i);
  });

  it('refuses to connect to a server that offers only TLS 1.1', async () => {
    const legacy = tls.createServer({
      ...serverCert,
      minVersion: 'TLSv1',
      maxVersion: 'TLSv1.1',
      ciphers: 'DEFAULT@SECLEVEL=0',
    });
    legacy.on('tlsClientError', () => undefined);
    await new Promise<void>((resolve) => legacy.listen(0, '127.0.0.1', resolve));
    try {
      const { port } = legacy.address() as AddressInfo;
      const client = harness.layer({ tls: { ca: ca.cert } });
      const error = await client
        .send(sipRequest(), { transport: 'tls', host: '127.0.0.1', port })
        .catch((e: unknown) => e);
      expect(error).toMatchObject({ code: 'SIP_CONNECT_FAILED' });
      expect((error as Error).message).toMatch(/protocol|version/i);
    } finally {
      legacy.close();
    }
  });

  it('never shows private keys: not in inspect output, info objects or configuration errors', async () => {
    const { server, port } = await tlsServer(serverCert, true);
    const client = harness.layer({ resolver, tls: { ca: ca.cert, ...clientCert } });
    const sent = await client.send(sipRequest(), { transport: 'tls', host: SERVER_NAME, port });
    const shown = [
      inspect(client, { depth: 10, showHidden: true }),
      inspect(server, { depth: 10, showHidden: true }),
      JSON.stringify(client.connections()),
      JSON.stringify(server.listeners()),
      JSON.stringify(client.connection(sent.connectionId ?? '')),
    ].join('\n');
    expect(shown).not.toContain('PRIVATE KEY');
    expect(shown).not.toContain(clientCert.key.split('\n')[1]);

    const broken = `${clientCert.key.slice(0, 60)}garbage${clientCert.key.slice(60)}`;
    let error: unknown;
    try {
      harness.layer({ tls: { cert: clientCert.cert, key: broken } });
    } catch (e) {
      error = e;
    }
    expect(error).toMatchObject({ code: 'SIP_TLS_CONFIG' });
    expect(String((error as Error).message)).not.toContain('garbage');
    await expect(
      harness.layer().listen({ transport: 'tls', tls: { cert: serverCert.cert, key: broken } }),
    ).rejects.toMatchObject({
      code: 'SIP_TLS_CONFIG',
    });
    await expect(harness.layer().listen({ transport: 'tls' })).rejects.toMatchObject({
      code: 'SIP_TLS_CONFIG',
    });
  });
});
