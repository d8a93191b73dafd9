// `trunkline check --emulator` and `--profile FILE` through the real launcher in a child process, as a user runs
// them. --emulator: every check passes on the demo account; the JUnit parses with fast-xml-parser (one testcase per
// check, no failure); the HTML holds a ladder per call check and the audio checks' waveforms; the JSON carries the
// measurements. --profile: a profile is a real target — the emulator-only fallback probe is skipped by the
// runner, `inbound` does not apply — and a caller ID the account does not own fails outbound-call with 4190.

import { execFile } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { XMLParser } from 'fast-xml-parser';
import { describe, expect, it } from 'vitest';
import { startCheckEmulator } from '../../src/checks/calls/index.js';
import { parseCheckReport } from '../../src/checks/index.js';
import { analyzeCaptureBytes } from '../../src/diagnostics/pcap/index.js';
import { systemClock } from '../../src/common/clock.js';
import { DEMO_CREDENTIALS } from '../../src/policy/index.js';
import { startDnsResponder } from '../support/dns-responder.js';
import { useTeardown } from '../support/teardown.js';
import { useTempDir } from '../support/temp-dir.js';

const bin = new URL('../../bin/trunkline.mjs', import.meta.url).pathname;
const dir = useTempDir('trunkline-check-emulator-cli-');
const teardown = useTeardown();
const CALL_CHECK_IDS = [
  'outbound-call',
  'two-way-audio',
  'dtmf',
  'hold-resume',
  'blind-transfer',
  'hangup-cdr',
  'inbound',
  'inbound-fallback',
];

function trunkline(args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    execFile(process.execPath, [bin, ...args], { timeout: 120_000 }, (error, stdout, stderr) => {
      const code = error === null ? 0 : typeof error.code === 'number' ? error.code : -1;
      resolve({ code, stdout, stderr });
    });
  });
}

interface JunitCase {
  '@_name': string;
  failure?: unknown;
  skipped?: unknown;
}

describe('trunkline check --emulator', () => {
  it('passes every check on the demo account, with JUnit, HTML ladders and waveforms, and JSON measurements', async () => {
    const out = join(dir(), 'reports');
    const result = await trunkline([
      'check',
      '--emulator',
      ...['--report', 'json', '--report', 'junit', '--report', 'html', '--out', out],
      ...['--pcap', join(dir(), 'run.pcapng')],
    ]);
    expect(result.stderr).toBe('');
    // The summary names the check that failed: shown with the failure, not lost behind "expected 1 to be 0".
    expect(result.code, result.stdout).toBe(0);
    expect(result.stdout).toContain('PASSED: 20 passed, 0 warnings, 0 failed, 2 skipped.');
    for (const id of CALL_CHECK_IDS) expect(result.stdout).toMatch(new RegExp(`PASS ${id} `));
    // Plain progress lines name the call checks' steps.
    expect(result.stdout).toContain('hold-resume: resume');

    const junit = new XMLParser({ ignoreAttributes: false, isArray: (name) => name === 'testcase' }).parse(
      readFileSync(join(out, 'trunkline-check.junit.xml'), 'utf8'),
    ) as { testsuites: { testsuite: { testcase: JunitCase[] } } };
    const cases = junit.testsuites.testsuite.testcase;
    expect(cases).toHaveLength(22); // 4 network, 8 call checks, 10 probes
    expect(cases.filter((c) => c.failure !== undefined)).toEqual([]);
    expect(cases.map((c) => c['@_name'].split(':')[0])).toEqual(expect.arrayContaining(CALL_CHECK_IDS));

    // The run's capture holds the call checks' SIP beside the probes': the softphone's INVITE to the echo
    // number, its hold re-INVITE (a=sendonly) and its REFER …
    const capture = analyzeCaptureBytes(readFileSync(join(dir(), 'run.pcapng')));
    const requests = capture.calls
      .flatMap((c) => c.messages.map((m) => m.message))
      .filter((m) => 'method' in m);
    const toEcho = requests.filter((m) => m.method === 'INVITE' && m.requestUriText.includes('+14155550111'));
    expect(toEcho.length).toBeGreaterThan(0);
    expect(requests.some((m) => m.method === 'REFER')).toBe(true);
    expect(requests.some((m) => m.method === 'INVITE' && m.body.toString().includes('a=sendonly'))).toBe(
      true,
    );
    // … and their media: the softphone's RTP and the far ends' (the echo, the tone number), both ways.
    expect(capture.rtpStreams.filter((stream) => stream.kind === 'rtp').length).toBeGreaterThanOrEqual(2);

    const html = readFileSync(join(out, 'trunkline-check.html'), 'utf8');
    expect(html.match(/<pre class="ladder">/g)?.length ?? 0).toBeGreaterThanOrEqual(CALL_CHECK_IDS.length);
    expect(html.match(/<svg class="waveform"/g)).toHaveLength(2);
    expect(html).toContain('Heard from the echo +14155550111');

    const report = parseCheckReport(readFileSync(join(out, 'trunkline-check.json'), 'utf8'));
    const audio = report.run.results.find((r) => r.id === 'two-way-audio')!;
    expect(audio.measurements).toEqual(
      expect.arrayContaining([expect.objectContaining({ name: 'echoDetected', value: true })]),
    );
    expect(report.run.target.isEmulator).toBe(true);
    expect(JSON.stringify(report)).not.toContain(DEMO_CREDENTIALS.credential.password);
  }, 150_000);
});

describe('trunkline check --profile', () => {
  it('a real target: the emulator-only probe is skipped; a caller ID not owned fails outbound-call with 4190', async () => {
    const emulator = await startCheckEmulator({ clock: systemClock });
    teardown(() => emulator.close());
    // The trunk domain resolves inside Zentrunk's us-west-1 range (§2.2), so `dns` passes as for a real trunk.
    const dns = await startDnsResponder({ [emulator.target.terminationDomain]: { A: ['13.52.9.10'] } });
    teardown(() => dns.close());
    const proxy = emulator.target.outboundProxy!;
    const profileFile = join(dir(), 'profile.json');
    writeFileSync(
      profileFile,
      JSON.stringify({
        terminationDomain: emulator.target.terminationDomain,
        outboundProxy: `${proxy.host}:${proxy.port}`,
        transport: 'udp',
        username: DEMO_CREDENTIALS.credential.username,
        password: DEMO_CREDENTIALS.credential.password,
        callerIds: ['+14155550199'],
      }),
    );
    const result = await trunkline([
      'check',
      '--profile',
      profileFile,
      '--test-number',
      '+14155550111',
      '--dns-server',
      dns.server,
      ...['--report', 'json', '--out', dir()],
    ]);
    expect(result.code, result.stdout).toBe(1);
    expect(result.stdout).toMatch(/FAIL outbound-call .*403 Forbidden — 4190 unknown_caller_id/);
    expect(result.stdout).not.toContain(DEMO_CREDENTIALS.credential.password);
    const report = parseCheckReport(readFileSync(join(dir(), 'trunkline-check.json'), 'utf8'));
    const byId = new Map(report.run.results.map((r) => [r.id, r]));
    expect(report.run.target.isEmulator).toBe(false);
    expect(byId.get('dns')?.status).toBe('pass');
    expect(byId.get('outbound-call')).toMatchObject({
      status: 'fail',
      cause: { hangupCode: 4190, hangupCauseName: 'unknown_caller_id' },
    });
    expect(byId.get('outbound-call')?.remedy).toMatch(/Plivo numbers/);
    expect(byId.get('inbound-fallback')).toMatchObject({
      status: 'skipped',
      skipReason: { kind: 'emulator-only' },
    });
    expect(byId.get('inbound')).toMatchObject({ status: 'skipped', skipReason: { kind: 'not-applicable' } });
    expect(byId.get('two-way-audio')?.skipReason).toMatchObject({
      kind: 'dependency',
      dependencyId: 'outbound-call',
    });
  }, 150_000);
});
