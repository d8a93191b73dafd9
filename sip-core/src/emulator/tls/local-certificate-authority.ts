// The emulator's own certificate authority and TLS server certificate, kept in the data folder, so that a PBX
// or the softphone can talk TLS to a local Zentrunk by trusting one exported CA certificate. Made with
// @peculiar/x509 over Node's WebCrypto (docs/adr/0076): no `openssl` binary, which desktop users on Windows and
// macOS do not have.
//
//   <data>/emulator-tls/   0700
//     ca.crt   ca.key      the CA (10 years; key 0600); export ca.crt to trust the emulator
//     server.crt server.key  the server certificate (397 days) for the names of certificate-names.ts (key 0600)
//
// First start creates both; later starts reuse them. The server certificate is issued again when it is missing
// or unreadable, expires within `renewBeforeDays`, carries other names than wanted, or was not signed by the CA
// on disk; the CA is made again only when it is missing, unreadable or itself about to expire (then every PBX
// must trust the new one, and the result says so).

import 'reflect-metadata';
import {
  AuthorityKeyIdentifierExtension,
  BasicConstraintsExtension,
  ExtendedKeyUsage,
  ExtendedKeyUsageExtension,
  KeyUsageFlags,
  KeyUsagesExtension,
  PemConverter,
  SubjectAlternativeNameExtension,
  SubjectKeyIdentifierExtension,
  X509Certificate as PeculiarCertificate,
  X509CertificateGenerator,
} from '@peculiar/x509';
import { createPrivateKey, randomBytes, webcrypto, X509Certificate } from 'node:crypto';
import { chmod, mkdir, readFile, rename, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { systemClock, type Clock } from '../../common/clock.js';
import { describeError } from '../../common/errors.js';
import { SecretString } from '../../policy/index.js';
import { normaliseIp, sameNames, type CertificateNames } from './certificate-names.js';
import { EmulatorTlsError } from './tls-error.js';

export type KeyAlgorithm = 'ecdsa-p256' | 'rsa-2048';

export interface LocalCertificateOptions {
  readonly dataDir: string;
  readonly names: CertificateNames;
  readonly clock?: Pick<Clock, 'wallNow'>;
  /** ECDSA P-256 by default (fast, supported by every TLS 1.2 stack we target); RSA 2048 for older PBXs. */
  readonly keyAlgorithm?: KeyAlgorithm;
  readonly caValidityDays?: number;
  readonly serverValidityDays?: number;
  readonly renewBeforeDays?: number;
}

export type ServerCertificateStatus = 'created' | 'reused' | 'reissued';
export type ReissueReason = 'missing' | 'unreadable' | 'expiring' | 'names-changed' | 'new-ca';

export interface TlsMaterial {
  /** The CA that signed the server certificate (PEM), to export; null for a user certificate without a CA file. */
  readonly caCertificatePem: string | null;
  readonly serverCertificatePem: string;
  readonly serverKey: SecretString;
  readonly files: {
    readonly caCertificate: string | null;
    readonly serverCertificate: string;
    readonly serverKey: string;
  };
  readonly serverNotAfterMs: number;
}

export interface LocalCertificates extends TlsMaterial {
  readonly caCertificatePem: string;
  readonly files: TlsMaterial['files'] & { readonly caCertificate: string; readonly caKey: string };
  readonly ca: 'created' | 'reused' | 'recreated';
  readonly server: ServerCertificateStatus;
  readonly reason?: ReissueReason;
  /** SHA-256 fingerprint of the CA certificate (`AB:CD:…`), to compare with what a PBX trusts. */
  readonly caFingerprintSha256: string;
}

/** The folder under the data folder that holds the emulator's CA and server certificate. */
export const TLS_FOLDER = 'emulator-tls';

const DAY_MS = 86_400_000;
const CLOCK_SKEW_MS = 3_600_000;
const subtle = webcrypto.subtle;

const ALGORITHMS = {
  'ecdsa-p256': {
    generate: { name: 'ECDSA', namedCurve: 'P-256' },
    sign: { name: 'ECDSA', hash: 'SHA-256' },
  },
  'rsa-2048': {
    generate: {
      name: 'RSASSA-PKCS1-v1_5',
      modulusLength: 2048,
      publicExponent: new Uint8Array([1, 0, 1]),
      hash: 'SHA-256',
    },
    sign: { name: 'RSASSA-PKCS1-v1_5', hash: 'SHA-256' },
  },
} as const;

interface LoadedCa {
  readonly pem: string;
  readonly certificate: X509Certificate;
  readonly signingKey: webcrypto.CryptoKey;
  readonly algorithm: KeyAlgorithm;
}

/** Creates or reuses the CA and server certificate in `<dataDir>/emulator-tls`. */
export async function ensureLocalCertificates(options: LocalCertificateOptions): Promise<LocalCertificates> {
  const clock = options.clock ?? systemClock;
  const algorithm = options.keyAlgorithm ?? 'ecdsa-p256';
  const renewBeforeMs = (options.renewBeforeDays ?? 30) * DAY_MS;
  const dir = join(options.dataDir, TLS_FOLDER);
  const files = {
    caCertificate: join(dir, 'ca.crt'),
    caKey: join(dir, 'ca.key'),
    serverCertificate: join(dir, 'server.crt'),
    serverKey: join(dir, 'server.key'),
  };
  await io(`create the folder ${dir}`, async () => {
    await mkdir(dir, { recursive: true, mode: 0o700 });
    await chmod(dir, 0o700);
  });
  const nowMs = clock.wallNow();

  let ca = await loadCa(files.caCertificate, files.caKey);
  let caStatus: LocalCertificates['ca'] = 'reused';
  if (!ca || Date.parse(ca.certificate.validTo) - nowMs < renewBeforeMs) {
    caStatus = ca ? 'recreated' : 'created';
    ca = await createCa(algorithm, nowMs, (options.caValidityDays ?? 3_650) * DAY_MS);
    await writeAtomic(files.caKey, await exportPrivateKey(ca.signingKey), 0o600);
    await writeAtomic(files.caCertificate, ca.pem, 0o644);
  }

  const existing = await loadServer(files.serverCertificate, files.serverKey);
  let reason: ReissueReason | undefined;
  if (!existing.ok) reason = existing.reason;
  else if (caStatus !== 'reused' || !existing.certificate.verify(ca.certificate.publicKey)) reason = 'new-ca';
  else if (Date.parse(existing.certificate.validTo) - nowMs < renewBeforeMs) reason = 'expiring';
  else if (!sameNames(existing.names, options.names)) reason = 'names-changed';

  let serverPem: string;
  let serverKeyPem: string;
  if (reason === undefined && existing.ok) {
    serverPem = existing.pem;
    serverKeyPem = existing.keyPem;
  } else {
    const issued = await issueServerCertificate(
      ca,
      options.names,
      algorithm,
      nowMs,
      options.serverValidityDays,
    );
    serverPem = issued.pem;
    serverKeyPem = issued.keyPem;
    await writeAtomic(files.serverKey, serverKeyPem, 0o600);
    await writeAtomic(files.serverCertificate, serverPem, 0o644);
  }
  const server = new X509Certificate(serverPem);
  return {
    caCertificatePem: ca.pem,
    serverCertificatePem: serverPem,
    serverKey: new SecretString(serverKeyPem),
    files,
    serverNotAfterMs: Date.parse(server.validTo),
    ca: caStatus,
    server:
      reason === undefined
        ? 'reused'
        : reason === 'missing' && caStatus === 'created'
          ? 'created'
          : 'reissued',
    ...(reason !== undefined && reason !== 'missing' ? { reason } : {}),
    caFingerprintSha256: ca.certificate.fingerprint256,
  };
}

/** Writes the CA certificate (PEM) where a PBX or a user can pick it up; returns the PEM. */
export async function exportCaCertificate(
  certificates: Pick<LocalCertificates, 'caCertificatePem'>,
  path: string,
) {
  await writeAtomic(path, certificates.caCertificatePem, 0o644);
  return certificates.caCertificatePem;
}

/** Reads and checks a user-supplied certificate and key (and optional CA file). */
export async function loadUserCertificate(paths: {
  readonly certFile: string;
  readonly keyFile: string;
  readonly caFile?: string | null;
}): Promise<TlsMaterial> {
  const read = (file: string) => io(`read ${file}`, () => readFile(file, 'utf8'));
  const certPem = await read(paths.certFile);
  const keyPem = await read(paths.keyFile);
  const caPem = paths.caFile ? await read(paths.caFile) : null;
  let certificate: X509Certificate;
  try {
    certificate = new X509Certificate(certPem);
  } catch {
    throw new EmulatorTlsError('EMULATOR_TLS_INVALID', `${paths.certFile} is not a PEM certificate.`);
  }
  let matches: boolean;
  try {
    matches = certificate.checkPrivateKey(createPrivateKey(keyPem));
  } catch {
    throw new EmulatorTlsError(
      'EMULATOR_TLS_INVALID',
      `${paths.keyFile} is not an unencrypted PEM private key; export the key without a passphrase.`,
    );
  }
  if (!matches) {
    throw new EmulatorTlsError(
      'EMULATOR_TLS_INVALID',
      `The key in ${paths.keyFile} does not belong to the certificate in ${paths.certFile}.`,
    );
  }
  if (caPem !== null) {
    try {
      new X509Certificate(caPem);
    } catch {
      throw new EmulatorTlsError('EMULATOR_TLS_INVALID', `${paths.caFile ?? ''} is not a PEM certificate.`);
    }
  }
  return {
    caCertificatePem: caPem,
    serverCertificatePem: certPem,
    serverKey: new SecretString(keyPem),
    files: {
      caCertificate: paths.caFile ?? null,
      serverCertificate: paths.certFile,
      serverKey: paths.keyFile,
    },
    serverNotAfterMs: Date.parse(certificate.validTo),
  };
}

/** The subjectAltName entries of a certificate, as `certificateNames` spells them. */
export function namesOfCertificate(pem: string): CertificateNames {
  const extension = new PeculiarCertificate(pem).getExtension(SubjectAlternativeNameExtension);
  const dns = new Set<string>();
  const ips = new Set<string>();
  for (const name of extension?.names.toJSON() ?? []) {
    if (name.type === 'dns') dns.add(name.value.toLowerCase());
    if (name.type === 'ip') ips.add(normaliseIp(name.value) ?? name.value);
  }
  return { dnsNames: [...dns].sort(), ipAddresses: [...ips].sort() };
}

async function createCa(algorithm: KeyAlgorithm, nowMs: number, validityMs: number): Promise<LoadedCa> {
  return generate('the local CA', async () => {
    const { generate: keyParams, sign } = ALGORITHMS[algorithm];
    const keys = await subtle.generateKey(keyParams, true, ['sign', 'verify']);
    const certificate = await X509CertificateGenerator.createSelfSigned(
      {
        serialNumber: serialNumber(),
        name: `CN=Trunkline local CA ${new Date(nowMs).toISOString().slice(0, 10)}, O=Trunkline`,
        notBefore: new Date(nowMs - CLOCK_SKEW_MS),
        notAfter: new Date(nowMs + validityMs),
        signingAlgorithm: sign,
        keys,
        extensions: [
          new BasicConstraintsExtension(true, 0, true),
          new KeyUsagesExtension(KeyUsageFlags.keyCertSign | KeyUsageFlags.cRLSign, true),
          await SubjectKeyIdentifierExtension.create(keys.publicKey),
        ],
      },
      webcrypto,
    );
    const pem = certificate.toString('pem');
    return { pem, certificate: new X509Certificate(pem), signingKey: keys.privateKey, algorithm };
  });
}

async function issueServerCertificate(
  ca: LoadedCa,
  names: CertificateNames,
  algorithm: KeyAlgorithm,
  nowMs: number,
  validityDays = 397,
): Promise<{ pem: string; keyPem: string }> {
  return generate('the server certificate', async () => {
    const { generate: keyParams } = ALGORITHMS[algorithm];
    const keys = await subtle.generateKey(keyParams, true, ['sign', 'verify']);
    const caCertificate = new PeculiarCertificate(ca.pem);
    const certificate = await X509CertificateGenerator.create(
      {
        serialNumber: serialNumber(),
        subject: 'CN=Trunkline emulator, O=Trunkline',
        issuer: caCertificate.subject,
        notBefore: new Date(nowMs - CLOCK_SKEW_MS),
        // CA/Browser Forum's 398-day ceiling: some TLS stacks refuse longer server certificates.
        notAfter: new Date(nowMs + validityDays * DAY_MS),
        signingAlgorithm: ALGORITHMS[ca.algorithm].sign,
        publicKey: keys.publicKey,
        signingKey: ca.signingKey,
        extensions: [
          new BasicConstraintsExtension(false, undefined, true),
          new KeyUsagesExtension(KeyUsageFlags.digitalSignature | KeyUsageFlags.keyEncipherment, true),
          new ExtendedKeyUsageExtension([ExtendedKeyUsage.serverAuth, ExtendedKeyUsage.clientAuth]),
          new SubjectAlternativeNameExtension([
            ...names.dnsNames.map((value) => ({ type: 'dns' as const, value })),
            ...names.ipAddresses.map((value) => ({ type: 'ip' as const, value })),
          ]),
          await SubjectKeyIdentifierExtension.create(keys.publicKey),
          await AuthorityKeyIdentifierExtension.create(caCertificate),
        ],
      },
      webcrypto,
    );
    return { pem: certificate.toString('pem'), keyPem: await exportPrivateKey(keys.privateKey) };
  });
}

async function loadCa(certFile: string, keyFile: string): Promise<LoadedCa | undefined> {
  const pem = await readOptional(certFile);
  const keyPem = await readOptional(keyFile);
  if (pem === undefined || keyPem === undefined) return undefined;
  try {
    const certificate = new X509Certificate(pem);
    const key = createPrivateKey(keyPem);
    if (!certificate.ca || !certificate.checkPrivateKey(key)) return undefined;
    const algorithm: KeyAlgorithm = key.asymmetricKeyType === 'rsa' ? 'rsa-2048' : 'ecdsa-p256';
    const der = key.export({ format: 'der', type: 'pkcs8' });
    const signingKey = await subtle.importKey('pkcs8', der, ALGORITHMS[algorithm].generate, false, ['sign']);
    return { pem, certificate, signingKey, algorithm };
  } catch {
    return undefined;
  }
}

type LoadedServer =
  | {
      readonly ok: true;
      readonly pem: string;
      readonly keyPem: string;
      readonly certificate: X509Certificate;
      readonly names: CertificateNames;
    }
  | { readonly ok: false; readonly reason: 'missing' | 'unreadable' };

async function loadServer(certFile: string, keyFile: string): Promise<LoadedServer> {
  const pem = await readOptional(certFile);
  const keyPem = await readOptional(keyFile);
  if (pem === undefined || keyPem === undefined) return { ok: false, reason: 'missing' };
  try {
    const certificate = new X509Certificate(pem);
    if (!certificate.checkPrivateKey(createPrivateKey(keyPem))) return { ok: false, reason: 'unreadable' };
    return { ok: true, pem, keyPem, certificate, names: namesOfCertificate(pem) };
  } catch {
    return { ok: false, reason: 'unreadable' };
  }
}

async function exportPrivateKey(key: webcrypto.CryptoKey): Promise<string> {
  return PemConverter.encode(await subtle.exportKey('pkcs8', key), 'PRIVATE KEY');
}

/** A positive 128-bit serial (RFC 5280 §4.1.2.2: at most 20 octets, non-negative). */
function serialNumber(): string {
  const bytes = randomBytes(16);
  bytes[0] = (bytes[0] ?? 0) & 0x7f;
  return bytes.toString('hex');
}

async function readOptional(file: string): Promise<string | undefined> {
  try {
    return await readFile(file, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw new EmulatorTlsError('EMULATOR_TLS_IO', `Cannot read ${file}: ${describeError(error)}`, {
      cause: error,
    });
  }
}

/** Writes through a temporary file and a rename, so a crash never leaves half a key; `mode` is set first. */
async function writeAtomic(file: string, text: string, mode: number): Promise<void> {
  const temporary = `${file}.${process.pid}.${randomBytes(4).toString('hex')}.tmp`;
  await io(`write ${file}`, async () => {
    await writeFile(temporary, text, { mode, flag: 'wx' });
    await chmod(temporary, mode);
    await rename(temporary, file);
  });
}

async function io<T>(doing: string, body: () => Promise<T>): Promise<T> {
  try {
    return await body();
  } catch (error) {
    if (error instanceof EmulatorTlsError) throw error;
    throw new EmulatorTlsError(
      'EMULATOR_TLS_IO',
      `Cannot ${doing}: ${describeError(error)}. Check the data folder's permissions or choose another with --data.`,
      { cause: error },
    );
  }
}

async function generate<T>(what: string, body: () => Promise<T>): Promise<T> {
  try {
    return await body();
  } catch (error) {
    throw new EmulatorTlsError(
      'EMULATOR_TLS_GENERATION_FAILED',
      `Could not create ${what}: ${describeError(error)}.`,
      {
        cause: error,
      },
    );
  }
}
