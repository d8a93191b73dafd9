import { execFile } from 'node:child_process';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { XMLValidator } from 'fast-xml-parser';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseCheckReport } from '../../src/checks/index.js';
import { certificateNames, ensureLocalCertificates } from '../../src/emulator/index.js';
import { defaultDatabasePath, TrunklineStore } from '../../src/store/index.js';
import { startDnsResponder, type DnsResponder } from '../support/dns-responder.js';
import { FakeTrunk } from '../support/fake-trunk.js';
import { useTempDir } from '../support/temp-dir.js';

// `trunkline check` through the real launcher in a child process, against a DNS responder and test trunks on
// 127.0.0.1: a full pass over TLS with every report, each broken configuration, and the usage errors.

const bin = new URL('../../bin/trunkline.mjs', import.meta.url).pathname;
const DOMAIN = '21784177241578.zt.trunkline.test';
const OUTSIDE = 'elsewhere.zt.trunkline.test';
const OTHER_HOST = 'trunk.other.example';
const PASSWORD = 'sup3r-secret-pa55';

interface Result {
  readonly code: number;
  readonly stdout: string;
  readonly stderr: string;
}

function trunkline(args: string[], env: Record<string, string> = {}): Promise<Result> {
  return new Promise((resolve) => {
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

const dir = useTempDir('trunkline-check-cli-');
let dns: DnsResponder;
let tlsTrunk: FakeTrunk;
let udpTrunk: FakeTrunk;
let caFile: string;

beforeAll(async () => {
  dns = await startDnsResponder({
    [DOMAIN]: { A: ['13.52.9.10'] },
    [OUTSIDE]: { A: ['198.51.100.7'] },
    [OTHER_HOST]: { A: ['13.52.9.20'] },
  });
  const certificates = await ensureLocalCertificates({
    dataDir: join(dir(), 'pki'),
    names: certificateNames({ listenHost: '127.0.0.1', trunkDomainSuffix: 'zt.trunkline.test' }),
  });
  caFile = join(dir(), 'ca.pem');
  writeFileSync(caFile, certificates.caCertificatePem);
  tlsTrunk = await FakeTrunk.start(
    {
      transport: 'tls',
      tls: { cert: certificates.serverCertificatePem, key: certificates.serverKey.reveal() },
    },
    { auth: 'digest', password: PASSWORD },
  );
  udpTrunk = await FakeTrunk.start({ transport: 'udp' }, { auth: 'digest', password: PASSWORD });
});
afterAll(async () => {
  await Promise.all([dns?.close(), tlsTrunk?.close(), udpTrunk?.close()]);
});

const common = (trunk: FakeTrunk, transport: string, domain = DOMAIN) => [
  'check',
  '--domain',
  domain,
  '--transport',
  transport,
  '--proxy',
  `127.0.0.1:${trunk.port}`,
  '--dns-server',
  dns.server,
  '--username',
  'pbx',
  '--password-env',
  'TRUNK_PASSWORD',
  '--caller-id',
  '+14155550100',
];

describe('trunkline check', () => {
  it('passes every check over TLS and writes JSON, JUnit and HTML reports and the stored run', async () => {
    const out = join(dir(), 'reports');
    const data = join(dir(), 'data');
    const result = await trunkline(
      [
        ...common(tlsTrunk, 'tls'),
        '--ca',
        caFile,
        '--region',
        'us-west-1',
        '--report',
        'json',
        '--report',
        'junit',
        '--report',
        'html',
        '--out',
        out,
        '--data',
        data,
      ],
      { TRUNK_PASSWORD: PASSWORD },
    );
    expect(result.stderr).toBe('');
    expect(result.code).toBe(0);
    expect(result.stdout).toMatch(/PASS dns .*us-west-1/);
    expect(result.stdout).toMatch(/PASS tls .*TLSv1\.3/);
    expect(result.stdout).toMatch(/PASS options .*200 OK/);
    expect(result.stdout).toMatch(/PASS auth .*Credentials accepted/);
    // The 8 call checks (no profile: no call is placed) and the ten negative probes (not the emulator) are in the
    // default list and skipped here.
    expect(result.stdout).toContain('PASSED: 4 passed, 0 warnings, 0 failed, 18 skipped.');
    expect(result.stdout).toMatch(/SKIP outbound-call .*--profile FILE/);
    expect(result.stdout).toMatch(/SKIP probe-trunk-cps .*emulator/);
    // Not a terminal: plain lines, no control characters.
    expect(result.stdout).not.toContain(String.fromCharCode(27));
    expect(result.stdout).not.toContain('\r');
    expect(result.stdout).not.toContain(PASSWORD);

    const json = readFileSync(join(out, 'trunkline-check.json'), 'utf8');
    expect(json).not.toContain(PASSWORD);
    const report = parseCheckReport(json);
    expect(report.run.verdict).toBe('passed');
    expect(XMLValidator.validate(readFileSync(join(out, 'trunkline-check.junit.xml'), 'utf8'))).toBe(true);
    expect(readFileSync(join(out, 'trunkline-check.html'), 'utf8')).toContain(
      '<p id="verdict" class="verdict-passed">',
    );
    const store = TrunklineStore.open({ path: defaultDatabasePath(data) });
    try {
      expect(store.getCheckRun(report.run.runId)).toMatchObject({ passed: 4, failed: 0, target: DOMAIN });
    } finally {
      store.close();
    }
  });

  it('fails the auth check on a wrong password with 4180, cause and remedy, and exits 1', async () => {
    const result = await trunkline([...common(udpTrunk, 'udp')], { TRUNK_PASSWORD: 'wrong' });
    expect(result.code).toBe(1);
    expect(result.stdout).toMatch(/SKIP tls .*not TLS/);
    expect(result.stdout).toMatch(/FAIL auth/);
    expect(result.stdout).toMatch(/Cause: {2}.*4180 call_rejected_unauthorized/);
    expect(result.stdout).toMatch(/Remedy: /);
    expect(result.stdout).toContain('FAILED: 2 passed, 0 warnings, 1 failed, 19 skipped.');
  });

  it('fails a domain resolving outside Zentrunk’s networks and skips what depends on it', async () => {
    const result = await trunkline([...common(udpTrunk, 'udp', OUTSIDE), '--only', 'auth'], {
      TRUNK_PASSWORD: PASSWORD,
    });
    expect(result.code).toBe(1);
    expect(result.stdout).toContain('with dns, tls, options, needed by the selection');
    expect(result.stdout).toMatch(/FAIL dns .*198\.51\.100\.7, outside Zentrunk's signalling networks/);
    expect(result.stdout).toMatch(/SKIP options .*needs 'dns', which failed/);
    expect(result.stdout).toMatch(/SKIP auth .*needs 'options', which was skipped/);
  });

  it('fails a TLS certificate this machine cannot verify (no --ca given)', async () => {
    const result = await trunkline([...common(tlsTrunk, 'tls'), '--only', 'tls'], {
      TRUNK_PASSWORD: PASSWORD,
    });
    expect(result.code).toBe(1);
    expect(result.stdout).toMatch(/FAIL tls .*CA this machine does not trust/);
    expect(result.stdout).toMatch(/Remedy: .*--ca/);
  });

  it('fails a TLS certificate for another host, naming both', async () => {
    const result = await trunkline(
      [...common(tlsTrunk, 'tls', OTHER_HOST), '--ca', caFile, '--only', 'tls'],
      {
        TRUNK_PASSWORD: PASSWORD,
      },
    );
    expect(result.code).toBe(1);
    expect(result.stdout).toMatch(/FAIL tls .*certificate is for another host: .*not trunk\.other\.example/);
  });

  it.each([
    [
      'a missing password variable',
      ['--username', 'pbx', '--password-env', 'NOT_SET_ANYWHERE'],
      /NOT_SET_ANYWHERE .* not set/,
    ],
    ['a username without --password-env', ['--username', 'pbx'], /go together/],
    ['a malformed proxy', ['--proxy', 'localhost'], /--proxy must be host:port/],
    ['an unknown check', ['--only', 'dns,teleport'], /There is no check 'teleport'/],
    ['an unknown region', ['--region', 'mars-1'], /region must be a Zentrunk region/],
    ['an unreadable CA file', ['--ca', '/nonexistent/ca.pem'], /Cannot read the CA file .*ENOENT/],
    ['a bad report kind', ['--report', 'pdf'], /Allowed choices are json, junit, html/],
    ['a missing target', [], /exactly one target: --domain DOMAIN, --profile FILE or --emulator/],
    ['two targets', ['--emulator'], /exactly one target/],
  ])('exits 2 for %s', async (_name, args, message) => {
    const domain = args.length === 0 && _name === 'a missing target' ? [] : ['--domain', DOMAIN];
    const result = await trunkline(['check', ...domain, ...args]);
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(message);
    expect(existsSync(join(process.cwd(), 'trunkline-check.json'))).toBe(false);
  });
});
