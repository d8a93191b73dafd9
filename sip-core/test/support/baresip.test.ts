// The baresip config writer: certificate and key PEMs without a trailing newline (as the emulator's local CA
// writes them) must still land as separate blocks, or OpenSSL inside baresip reads no key.

import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { joinPem, writeBaresipConfig } from './baresip.js';
import { useTempDir } from './temp-dir.js';

const CERT = '-----BEGIN CERTIFICATE-----\nMIIB\n-----END CERTIFICATE-----';
const KEY = '-----BEGIN PRIVATE KEY-----\nMIIE\n-----END PRIVATE KEY-----';

describe('joinPem', () => {
  it.each([
    ['no trailing newlines', [CERT, KEY], `${CERT}\n${KEY}\n`],
    ['trailing newlines kept as they are', [`${CERT}\n`, `${KEY}\n`], `${CERT}\n${KEY}\n`],
    ['one block', [CERT], `${CERT}\n`],
  ])('%s', (_name, blocks, expected) => {
    expect(joinPem(...blocks)).toBe(expected);
  });
});

describe('writeBaresipConfig', () => {
  const dir = useTempDir('baresip-config-');

  it('puts every PEM block on its own lines', () => {
    writeBaresipConfig({ dir: dir(), sipPort: 35000, ctrlPort: 35010, cert: CERT, key: KEY, ca: CERT });
    const pem = readFileSync(join(dir(), 'cert.pem'), 'utf8');
    expect(pem).toContain('-----END CERTIFICATE-----\n-----BEGIN PRIVATE KEY-----');
    expect(pem.endsWith('-----END PRIVATE KEY-----\n')).toBe(true);
    expect(readFileSync(join(dir(), 'ca.pem'), 'utf8')).toBe(`${CERT}\n`);
    expect(readFileSync(join(dir(), 'config'), 'utf8')).toContain(
      `sip_certificate\t${join(dir(), 'cert.pem')}`,
    );
  });
});
