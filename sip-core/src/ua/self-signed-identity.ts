// The phone's TLS listener needs a certificate even when the user has none: our stack writes the listener's port
// in Via (RFC 3261 §18.1.1) and accepts responses only on a Via it owns, so a TLS phone listens on TLS. Without a
// configured certificate the listener presents a throwaway self-signed one, made in memory at start (ECDSA P-256,
// one day) with @peculiar/x509 on Node's WebCrypto, as the emulator's CA is (ADR 0076). A trunk that opens TLS to
// us would not trust it; inbound TLS calls need the profile's real certificate (ADR 0092).

import 'reflect-metadata';
import { webcrypto, randomBytes } from 'node:crypto';
import {
  ExtendedKeyUsage,
  ExtendedKeyUsageExtension,
  PemConverter,
  SubjectAlternativeNameExtension,
  X509CertificateGenerator,
} from '@peculiar/x509';
import { SecretString } from '../policy/index.js';

const ECDSA = { name: 'ECDSA', namedCurve: 'P-256' } as const;
const DAY_MS = 86_400_000;

export interface TlsIdentity {
  readonly certificatePem: string;
  readonly key: SecretString;
}

/** A self-signed certificate for `address` (IP subjectAltName), valid for a day from `nowMs`. */
export async function createSelfSignedIdentity(address: string, nowMs: number): Promise<TlsIdentity> {
  const keys = await webcrypto.subtle.generateKey(ECDSA, true, ['sign', 'verify']);
  const certificate = await X509CertificateGenerator.createSelfSigned({
    serialNumber: `01${randomBytes(8).toString('hex')}`,
    name: 'CN=Trunkline softphone (self-signed), O=Trunkline',
    notBefore: new Date(nowMs - 60_000),
    notAfter: new Date(nowMs + DAY_MS),
    signingAlgorithm: { name: 'ECDSA', hash: 'SHA-256' },
    keys,
    extensions: [
      new SubjectAlternativeNameExtension([{ type: 'ip', value: address }]),
      new ExtendedKeyUsageExtension([ExtendedKeyUsage.serverAuth, ExtendedKeyUsage.clientAuth]),
    ],
  });
  const keyDer = await webcrypto.subtle.exportKey('pkcs8', keys.privateKey);
  return {
    certificatePem: certificate.toString('pem'),
    key: new SecretString(PemConverter.encode(keyDer, 'PRIVATE KEY')),
  };
}
