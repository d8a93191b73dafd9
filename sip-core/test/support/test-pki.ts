// A throwaway PKI for TLS tests, made with the openssl CLI in a temporary folder: a CA, certificates it issues
// (for names and IPs, expired or valid), and a second CA nobody trusts. EC P-256 keys keep generation fast.

import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export interface TestCertificate {
  readonly cert: string;
  readonly key: string;
}

export interface TestCa extends TestCertificate {
  /** Issues a certificate for `commonName` with the given subjectAltNames (`DNS:x`, `IP:1.2.3.4`). */
  issue(commonName: string, altNames: readonly string[], options?: { expired?: boolean }): TestCertificate;
}

export interface TestPki {
  readonly dir: string;
  createCa(name: string): TestCa;
  dispose(): void;
}

export function createTestPki(): TestPki {
  const dir = mkdtempSync(join(tmpdir(), 'trunkline-pki-'));
  let serial = 1;
  const openssl = (args: string[]): void => {
    execFileSync('openssl', args, { cwd: dir, stdio: ['ignore', 'ignore', 'pipe'] });
  };
  const read = (file: string): string => readFileSync(join(dir, file), 'utf8');
  const newKey = ['-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:P-256', '-nodes'];
  return {
    dir,
    createCa(name) {
      const base = `ca-${serial++}`;
      openssl([
        'req',
        '-x509',
        ...newKey,
        '-keyout',
        `${base}.key`,
        '-out',
        `${base}.crt`,
        '-days',
        '2',
        '-subj',
        `/CN=${name}`,
      ]);
      const ca = { cert: read(`${base}.crt`), key: read(`${base}.key`) };
      return {
        ...ca,
        issue(commonName, altNames, options = {}) {
          const leaf = `leaf-${serial++}`;
          openssl([
            'req',
            ...newKey,
            '-keyout',
            `${leaf}.key`,
            '-out',
            `${leaf}.csr`,
            '-subj',
            `/CN=${commonName}/O=Trunkline Test`,
          ]);
          writeFileSync(join(dir, `${leaf}.ext`), `subjectAltName=${altNames.join(',')}\n`);
          openssl([
            'x509',
            '-req',
            '-in',
            `${leaf}.csr`,
            '-CA',
            `${base}.crt`,
            '-CAkey',
            `${base}.key`,
            '-set_serial',
            String(serial++),
            '-out',
            `${leaf}.crt`,
            '-extfile',
            `${leaf}.ext`,
            // A negative validity makes notAfter precede now: an expired certificate without faking the clock.
            '-days',
            options.expired ? '-1' : '2',
          ]);
          return { cert: read(`${leaf}.crt`), key: read(`${leaf}.key`) };
        },
      };
    },
    dispose() {
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
