import { execFile } from 'node:child_process';
import { readFileSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readCaptureBytes } from '../../src/diagnostics/index.js';
import { certificateNames, ensureLocalCertificates } from '../../src/emulator/index.js';
import { startDnsResponder, type DnsResponder } from '../support/dns-responder.js';
import { FakeTrunk } from '../support/fake-trunk.js';
import { useTempDir } from '../support/temp-dir.js';

// `trunkline check --pcap FILE --keylog FILE` through the real launcher against a TLS test trunk: one pcapng with
// the SIP of every check (TLS shown decrypted), a comment where each check starts, and the TLS secrets in a key
// log only the owner can read. `--keylog` alone is a usage error.

const bin = new URL('../../bin/trunkline.mjs', import.meta.url).pathname;
const DOMAIN = '21784177241578.zt.trunkline.test';
const PASSWORD = 'sup3r-secret-pa55';

function trunkline(args: string[], env: Record<string, string> = {}) {
  return new Promise<{ code: number; stdout: string; stderr: string }>((resolve) => {
    execFile(
      process.execPath,
      [bin, ...args],
      { env: { ...process.env, ...env }, timeout: 60_000 },
      (error, stdout, stderr) => {
        const code = error === null ? 0 : typeof error.code === 'number' ? error.code : -1;
        resolve({ code, stdout, stderr });
      },
    );
  });
}

const dir = useTempDir('trunkline-check-pcap-');
let dns: DnsResponder;
let trunk: FakeTrunk;
let caPem: string;

beforeAll(async () => {
  dns = await startDnsResponder({ [DOMAIN]: { A: ['13.52.9.10'] } });
  const certificates = await ensureLocalCertificates({
    dataDir: join(dir(), 'pki'),
    names: certificateNames({ listenHost: '127.0.0.1', trunkDomainSuffix: 'zt.trunkline.test' }),
  });
  caPem = certificates.caCertificatePem;
  trunk = await FakeTrunk.start(
    {
      transport: 'tls',
      tls: { cert: certificates.serverCertificatePem, key: certificates.serverKey.reveal() },
    },
    { auth: 'digest', password: PASSWORD },
  );
});
afterAll(async () => {
  await Promise.all([dns?.close(), trunk?.close()]);
});

describe('trunkline check --pcap', () => {
  it('writes one pcapng of every check’s SIP, marked per check, and the TLS key log', async () => {
    const caFile = join(dir(), 'ca.pem');
    writeFileSync(caFile, caPem);
    const pcap = join(dir(), 'run.pcapng');
    const keylog = join(dir(), 'keys.log');
    const result = await trunkline(
      [
        'check',
        '--domain',
        DOMAIN,
        '--transport',
        'tls',
        '--proxy',
        `127.0.0.1:${trunk.port}`,
        '--dns-server',
        dns.server,
        '--ca',
        caFile,
        '--username',
        'pbx',
        '--password-env',
        'TRUNK_PASSWORD',
        '--caller-id',
        '+14155550100',
        '--pcap',
        pcap,
        '--keylog',
        keylog,
      ],
      { TRUNK_PASSWORD: PASSWORD },
    );
    expect(result.stderr).toBe('');
    expect(result.code).toBe(0);
    expect(result.stdout).toMatch(/Wrote capture: .*run\.pcapng \(\d+ packets\)/);
    expect(result.stdout).toMatch(/Wrote TLS key log: .*keys\.log \(\d+ secrets\)/);

    const packets = readCaptureBytes(readFileSync(pcap));
    const comments = packets.map((p) => p.comment ?? '');
    const marks = comments
      .filter((c) => c.includes('Trunkline check'))
      .map((c) => /check (\S+) starts/.exec(c)![1]);
    // dns and tls send no SIP of their own; options and auth each mark their first packet.
    expect(marks).toEqual(['options', 'auth']);
    expect(comments.every((c) => c.includes('SIP over TLS, shown decrypted'))).toBe(true);
    const text = packets.map((p) => Buffer.from(p.data.subarray(28)).toString('latin1').split('\r\n')[0]);
    expect(text[0]).toMatch(/^OPTIONS sip:/);
    expect(text.filter((l) => l.startsWith('INVITE '))).toHaveLength(2);

    const keys = readFileSync(keylog, 'utf8');
    expect(keys).toMatch(/^(CLIENT_HANDSHAKE_TRAFFIC_SECRET|CLIENT_RANDOM) /m);
    expect(statSync(keylog).mode & 0o777).toBe(0o600);
    expect(result.stdout).not.toContain(keys.split('\n')[0].split(' ')[2]);
  });

  it('refuses --keylog without --pcap with exit status 2', async () => {
    const result = await trunkline(['check', '--domain', DOMAIN, '--keylog', join(dir(), 'k.log')]);
    expect(result.code).toBe(2);
    expect(result.stderr).toContain('--keylog goes with --pcap');
  });
});
