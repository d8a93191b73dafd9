import { execFileSync } from 'node:child_process';
import { readFileSync, statSync, writeFileSync, rmSync } from 'node:fs';
import { connect, createServer, type Server } from 'node:tls';
import { join } from 'node:path';
import { inspect } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ManualClock } from '../../../src/common/manual-clock.js';
import {
  certificateNames,
  ensureLocalCertificates,
  exportCaCertificate,
  loadUserCertificate,
  namesOfCertificate,
  TLS_FOLDER,
  type LocalCertificates,
} from '../../../src/emulator/tls/index.js';
import { hasBinary, IN_CI } from '../../support/peer-binary.js';
import { useTempDir } from '../../support/temp-dir.js';
import { expectErrorCode } from '../../support/expect-error-code.js';

const DAY_MS = 86_400_000;
const TRUNK_DOMAIN = '10000000000002.zt.plivo.com';
const names = certificateNames({
  listenHost: '127.0.0.1',
  trunkDomainSuffix: 'zt.plivo.com',
  trunkDomains: [TRUNK_DOMAIN, '93667062664669661.ap-south-1.zt.plivo.com'],
});

describe('certificateNames', () => {
  it('covers loopback, the listen host and the trunk domains (a wildcard covers one label only)', () => {
    expect(names).toEqual({
      dnsNames: ['*.zt.plivo.com', '93667062664669661.ap-south-1.zt.plivo.com', 'localhost', 'zt.plivo.com'],
      ipAddresses: ['127.0.0.1', '::1'],
    });
    expect(
      certificateNames({
        listenHost: '0.0.0.0',
        trunkDomainSuffix: 'zt.plivo.com',
        extraNames: ['PBX.lan', '[::ffff:10.0.0.5]'],
      }),
    ).toEqual({
      dnsNames: ['*.zt.plivo.com', 'localhost', 'pbx.lan', 'zt.plivo.com'],
      ipAddresses: ['10.0.0.5', '127.0.0.1', '::1'],
    });
  });
});

describe('the local CA and server certificate', () => {
  const tempDir = useTempDir('trunkline-tls-');
  const dataDir = () => join(tempDir(), 'data');
  const clock = new ManualClock({ epochMs: Date.UTC(2026, 0, 1) });
  let first: LocalCertificates;

  beforeAll(async () => {
    first = await ensureLocalCertificates({ dataDir: dataDir(), names, clock });
  });

  it('is created on first start, with the keys readable only by the user', () => {
    expect(first).toMatchObject({ ca: 'created', server: 'created' });
    expect(first.reason).toBeUndefined();
    expect(statSync(join(dataDir(), TLS_FOLDER)).mode & 0o777).toBe(0o700);
    expect(statSync(first.files.caKey).mode & 0o777).toBe(0o600);
    expect(statSync(first.files.serverKey).mode & 0o777).toBe(0o600);
    expect(readFileSync(first.files.caCertificate, 'utf8')).toBe(first.caCertificatePem);
    expect(namesOfCertificate(first.serverCertificatePem)).toEqual(names);
    expect(first.serverNotAfterMs).toBe(Date.UTC(2026, 0, 1) + 397 * DAY_MS);
  });

  it('never shows the private key in inspect, JSON or string output', () => {
    const keyPem = readFileSync(first.files.serverKey, 'utf8');
    expect(keyPem).toContain('PRIVATE KEY');
    for (const text of [inspect(first, { depth: 5 }), JSON.stringify(first), String(first.serverKey)]) {
      expect(text).not.toContain('PRIVATE KEY');
    }
  });

  it('is reused on the next start', async () => {
    const again = await ensureLocalCertificates({ dataDir: dataDir(), names, clock });
    expect(again).toMatchObject({ ca: 'reused', server: 'reused' });
    expect(again.serverCertificatePem).toBe(first.serverCertificatePem);
    expect(again.serverKey.reveal()).toBe(first.serverKey.reveal());
    expect(again.caFingerprintSha256).toBe(first.caFingerprintSha256);
  });

  it('issues the server certificate again when its names change, keeping the CA', async () => {
    const wider = certificateNames({ listenHost: '127.0.0.2', trunkDomainSuffix: 'zt.plivo.com' });
    const reissued = await ensureLocalCertificates({ dataDir: dataDir(), names: wider, clock });
    expect(reissued).toMatchObject({ ca: 'reused', server: 'reissued', reason: 'names-changed' });
    expect(reissued.caFingerprintSha256).toBe(first.caFingerprintSha256);
    expect(namesOfCertificate(reissued.serverCertificatePem).ipAddresses).toContain('127.0.0.2');
    first = await ensureLocalCertificates({ dataDir: dataDir(), names, clock });
    expect(first.reason).toBe('names-changed');
  });

  it('issues it again when it is close to expiry or unreadable, and after a new CA', async () => {
    const later = new ManualClock({ epochMs: Date.UTC(2026, 0, 1) + 380 * DAY_MS });
    const renewed = await ensureLocalCertificates({ dataDir: dataDir(), names, clock: later });
    expect(renewed).toMatchObject({ ca: 'reused', server: 'reissued', reason: 'expiring' });

    writeFileSync(renewed.files.serverCertificate, 'not a certificate');
    const repaired = await ensureLocalCertificates({ dataDir: dataDir(), names, clock: later });
    expect(repaired).toMatchObject({ server: 'reissued', reason: 'unreadable' });

    rmSync(repaired.files.caKey);
    const newCa = await ensureLocalCertificates({ dataDir: dataDir(), names, clock: later });
    expect(newCa).toMatchObject({ ca: 'created', server: 'reissued', reason: 'new-ca' });
    expect(newCa.caFingerprintSha256).not.toBe(first.caFingerprintSha256);
  });
});

// Made on the real clock: a TLS client checks validity against the machine's time.
describe('the generated certificate in use', () => {
  const tempDir = useTempDir('trunkline-tls-live-');
  let first: LocalCertificates;

  beforeAll(async () => {
    first = await ensureLocalCertificates({ dataDir: tempDir(), names });
  });

  describe('over a real TLS connection', () => {
    let server: Server;
    let port = 0;

    beforeAll(async () => {
      server = createServer(
        { cert: first.serverCertificatePem, key: first.serverKey.reveal(), minVersion: 'TLSv1.2' },
        (socket) => socket.end('SIP/2.0 200 OK\r\n\r\n'),
      );
      await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
      const address = server.address();
      port = typeof address === 'object' && address ? address.port : 0;
    });
    afterAll(async () => {
      await new Promise<void>((resolve) => server.close(() => resolve()));
    });

    const handshake = (options: { ca?: string; servername: string }) =>
      new Promise<{ authorized: boolean; error?: string }>((resolve) => {
        const socket = connect({ host: '127.0.0.1', port, ...options }, () => {
          resolve({ authorized: socket.authorized });
          socket.destroy();
        });
        socket.on('error', (error: NodeJS.ErrnoException) =>
          resolve({ authorized: false, error: error.code }),
        );
      });

    it('is accepted by a client that trusts the exported CA, with SNI set to a trunk domain', async () => {
      const exported = join(tempDir(), 'trunkline-ca.pem');
      const ca = await exportCaCertificate(first, exported);
      expect(readFileSync(exported, 'utf8')).toBe(ca);
      await expect(handshake({ ca, servername: TRUNK_DOMAIN })).resolves.toEqual({ authorized: true });
      await expect(handshake({ ca, servername: 'localhost' })).resolves.toEqual({ authorized: true });
    });

    it('is refused by a client that does not trust the CA, or dials a name it does not carry', async () => {
      const untrusted = await handshake({ servername: TRUNK_DOMAIN });
      expect(untrusted.authorized).toBe(false);
      expect(untrusted.error).toMatch(/UNABLE_TO_VERIFY_LEAF_SIGNATURE|SELF_SIGNED|UNABLE_TO_GET_ISSUER/);
      const wrongName = await handshake({ ca: first.caCertificatePem, servername: 'pbx.example.com' });
      expect(wrongName).toEqual({ authorized: false, error: 'ERR_TLS_CERT_ALTNAME_INVALID' });
    });
  });

  it.runIf(hasBinary('openssl') || IN_CI)('is verified by openssl against the CA, for a trunk domain', () => {
    const verify = (...extra: string[]) =>
      execFileSync(
        'openssl',
        ['verify', '-CAfile', first.files.caCertificate, ...extra, first.files.serverCertificate],
        { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] },
      );
    expect(verify('-verify_hostname', TRUNK_DOMAIN)).toContain(': OK');
    expect(verify('-verify_ip', '::1')).toContain(': OK');
    expect(() => verify('-verify_hostname', 'pbx.example.com')).toThrow();
  });
});

describe('RSA keys and user-supplied material', () => {
  const tempDir = useTempDir('trunkline-tls-user-');

  it('makes an RSA 2048 CA when asked, and loads a user certificate and key after checking they match', async () => {
    const rsa = await ensureLocalCertificates({ dataDir: tempDir(), names, keyAlgorithm: 'rsa-2048' });
    expect(readFileSync(rsa.files.caKey, 'utf8')).toMatch(/^-----BEGIN PRIVATE KEY-----/);
    const user = await loadUserCertificate({
      certFile: rsa.files.serverCertificate,
      keyFile: rsa.files.serverKey,
      caFile: rsa.files.caCertificate,
    });
    expect(user.caCertificatePem).toBe(rsa.caCertificatePem);
    expect(user.serverNotAfterMs).toBe(rsa.serverNotAfterMs);

    const mismatch = await loadUserCertificate({
      certFile: rsa.files.serverCertificate,
      keyFile: rsa.files.caKey,
    }).catch((error: unknown) => error);
    expectErrorCode(() => {
      throw mismatch;
    }, 'EMULATOR_TLS_INVALID');
    expect(String((mismatch as Error).message)).not.toContain('PRIVATE KEY');

    const missing = await loadUserCertificate({
      certFile: join(tempDir(), 'nope.crt'),
      keyFile: rsa.files.serverKey,
    }).catch((error: unknown) => error);
    expect(missing).toMatchObject({ code: 'EMULATOR_TLS_IO' });
  });
});
