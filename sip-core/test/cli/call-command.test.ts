// `trunkline call` against the test trunk over real sockets: in-process through `main()` (captured output) for
// the behaviours, and once as a real child process through the bin launcher, as a user runs it from a shell.

import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { main } from '../../src/cli/main.js';
import type { CallResult } from '../../src/cli/call-result.js';
import { readWavFile } from '../../src/media/wav/wav-file.js';
import { analyzeTone } from '../../src/media/tone/tone-analysis.js';
import { TestTrunk, type TestTrunkOptions } from '../support/test-trunk.js';
import { PeerProcesses } from '../support/peer-process.js';
import { useTeardown } from '../support/teardown.js';
import { useTempDir } from '../support/temp-dir.js';
import { jsonLine, TRUNKLINE_BIN as bin } from '../support/trunkline-cli.js';
import { sleep, until } from '../support/softphone-fixtures.js';

const peers = new PeerProcesses();
const teardown = useTeardown(peers);
const tempDir = useTempDir('trunkline-cli-call-');
const TRUNK_HZ = 1000;
const PHONE_HZ = 440;

async function startTrunk(options: Omit<TestTrunkOptions, 'listen'> = {}): Promise<TestTrunk> {
  const trunk = await TestTrunk.start({ listen: [{ transport: 'udp' }], toneHz: TRUNK_HZ, ...options });
  teardown(() => trunk.close());
  return trunk;
}

/** `--listen` on UDP for one DID, the trunk on loopback. */
const LISTEN_ARGS = [
  '--listen',
  '--did',
  '+14155550100',
  '--domain',
  '127.0.0.1',
  '--transport',
  'udp',
  '--caller-id',
  '+14155550101',
];

/** The port a `--listen` run reports on stderr once it listens. */
async function listeningPort(err: readonly string[]): Promise<number> {
  await until(() => err.some((line) => line.startsWith('listening on')), 'the phone to listen');
  return Number(/:(\d+) /.exec(err.find((line) => line.startsWith('listening on'))!)![1]);
}

function baseArgs(trunk: TestTrunk): string[] {
  const port = trunk.listener('udp').local.port;
  return [
    '--domain',
    '127.0.0.1',
    '--proxy',
    `127.0.0.1:${port}`,
    '--transport',
    'udp',
    '--caller-id',
    '+14155550101',
  ];
}

async function runMain(
  args: readonly string[],
  env: Record<string, string> = {},
  err: string[] = [],
  interrupt?: { handler?: () => void },
) {
  const out: string[] = [];
  const status = await main(['node', 'trunkline', 'call', ...args], {
    out: (text) => out.push(text),
    err: (text) => err.push(text),
    env,
    ...(interrupt !== undefined
      ? {
          onInterrupt: (handler: () => void) => {
            interrupt.handler = handler;
            return () => (interrupt.handler = undefined);
          },
        }
      : {}),
  });
  return { status, out, err };
}

describe('trunkline call', () => {
  it('places a call with a tone, records the far end, sends DTMF and prints the JSON result', async () => {
    const trunk = await startTrunk();
    const recording = join(tempDir(), 'heard.wav');
    const { status, out } = await runMain([
      '+14155550199',
      ...baseArgs(trunk),
      '--play',
      `tone:${PHONE_HZ}`,
      '--record',
      recording,
      '--dtmf',
      '12#',
      '--dtmf-at',
      '500ms',
      '--hangup-after',
      '2s',
      '--json',
    ]);
    expect(out).toHaveLength(1);
    const result = JSON.parse(out[0]) as CallResult;
    expect(status).toBe(0);
    expect(result).toMatchObject({
      outcome: 'answered',
      matched: true,
      codec: 'PCMU',
      hangup: { code: 3010, name: 'normal_hangup', inferred: true },
    });
    expect(result.timings.timeToAnswerMs).toBeGreaterThanOrEqual(0);
    expect(result.timings.durationMs).toBeGreaterThan(1_500);
    expect(result.rtp?.sent.packets).toBeGreaterThan(50);
    expect(result.rtp?.received.packets).toBeGreaterThan(50);
    const far = trunk.callTo('+14155550199')!;
    await until(
      () => far.requests.includes('BYE'),
      `the trunk to get our BYE (${JSON.stringify(far.requests)})`,
    );
    expect(far.dtmf.join('')).toBe('12#');
    expect(far.detector.analyze(PHONE_HZ)?.present, 'the trunk hears the --play tone').toBe(true);
    const { samples } = await readWavFile(recording);
    expect(samples.length).toBeGreaterThan(8_000);
    expect(
      analyzeTone(samples.subarray(4_000), TRUNK_HZ).present,
      'the recording holds the trunk’s tone',
    ).toBe(true);
  });

  it('exits 0 when a rejection matches --expect 4180, and 1 when answered was expected', async () => {
    const trunk = await startTrunk({
      scenario: () => ({
        kind: 'reject',
        status: 403,
        hangupCode: 4180,
        causeName: 'call_rejected_unauthorized',
      }),
    });
    const matched = await runMain(['+14155550198', ...baseArgs(trunk), '--expect', '4180', '--json']);
    expect(matched.status).toBe(0);
    expect(JSON.parse(matched.out[0])).toMatchObject({
      outcome: 'rejected',
      sipStatus: 403,
      hangup: { code: 4180, name: 'call_rejected_unauthorized', inferred: false },
    });
    const unmatched = await runMain(['+14155550198', ...baseArgs(trunk)]);
    expect(unmatched.status).toBe(1);
    expect(unmatched.out.join('\n')).toMatch(/NOT as expected \(answered\)/);
    expect(unmatched.out.join('\n')).toMatch(/remedy:/);
  });

  it('reports a wrong password (TRUNKLINE_PASSWORD) as 4180 with the remedy, and never prints the password', async () => {
    const password = 'Wr0ng-S3cret-Value';
    const trunk = await startTrunk({
      auth: { algorithms: ['SHA-256'], username: 'trunkuser', password: 'the-right-one' },
    });
    const { status, out, err } = await runMain(
      [
        '+14155550197',
        ...baseArgs(trunk),
        '--username',
        'trunkuser',
        '--expect',
        'call_rejected_unauthorized',
      ],
      { TRUNKLINE_PASSWORD: password },
    );
    expect(status).toBe(0);
    const text = [...out, ...err].join('\n');
    expect(text).toMatch(/4180 call_rejected_unauthorized/);
    expect(text).toMatch(/remedy: .*password/i);
    expect(text).not.toContain(password);
    expect(trunk.received.filter((r) => r.method === 'INVITE')).toHaveLength(2);
  });

  it('exits 2 and names every bad profile field, without dialling', async () => {
    const trunk = await startTrunk();
    const { status, err } = await runMain([
      '+14155550199',
      '--domain',
      '127.0.0.1',
      '--proxy',
      `127.0.0.1:${trunk.listener('udp').local.port}`,
      '--transport',
      'carrier-pigeon',
    ]);
    expect(status).toBe(2);
    expect(err.join('\n')).toMatch(/transport/);
    expect(err.join('\n')).toMatch(/callerIds/);
    expect(trunk.calls).toHaveLength(0);
  });

  it('exits 2 on a --play file that cannot be read, before dialling', async () => {
    const trunk = await startTrunk();
    const missing = join(tempDir(), 'no-such.wav');
    const { status, err } = await runMain(['+14155550199', ...baseArgs(trunk), '--play', missing]);
    expect(status).toBe(2);
    expect(err.join('\n')).toContain(missing);
    expect(trunk.calls).toHaveLength(0);
  });

  it('answers an inbound call with --listen and reports the DTMF it received', async () => {
    const trunk = await startTrunk();
    const err: string[] = [];
    const running = runMain(
      [
        ...LISTEN_ARGS,
        '--allow-source',
        '127.0.0.1',
        '--play',
        `tone:${PHONE_HZ}`,
        '--hangup-after',
        '2s',
        '--json',
      ],
      {},
      err,
    );
    const port = await listeningPort(err);
    const { response, call: far } = await trunk.callPhone(`sip:+14155550100@127.0.0.1:${port}`);
    expect(response.statusCode).toBe(200);
    await sleep(500);
    far.media!.sendDtmf('5');
    const { status, out } = await running;
    expect(status).toBe(0);
    expect(JSON.parse(out[0])).toMatchObject({
      direction: 'inbound',
      outcome: 'answered',
      dtmfReceived: '5',
    });
  });

  it('holds and resumes, then transfers: outcome transferred, the trunk saw the re-INVITEs and the REFER', async () => {
    const trunk = await startTrunk({ refer: { kind: 'succeed' } });
    const { status, out } = await runMain([
      '+14155550196',
      ...baseArgs(trunk),
      '--hold-after',
      '200ms',
      '--hold-for',
      '300ms',
      '--transfer-to',
      '+14155550177',
      '--transfer-after',
      '1s',
      '--json',
    ]);
    const result = JSON.parse(out[0]) as CallResult;
    expect(status).toBe(0);
    expect(result).toMatchObject({
      outcome: 'transferred',
      endedBy: 'remote',
      matched: true,
      transfer: { ok: true, statusCode: 200 },
    });
    const far = trunk.callTo('+14155550196')!;
    expect(far.requests.filter((method) => method === 'INVITE')).toHaveLength(2);
    expect(far.referTo).toEqual(['<sip:+14155550177@127.0.0.1>']);
  });

  it('hangs up with BYE on Ctrl-C, prints the result and exits 130', async () => {
    const trunk = await startTrunk();
    const err: string[] = [];
    const interrupt: { handler?: () => void } = {};
    const running = runMain(['+14155550195', ...baseArgs(trunk), '--json'], {}, err, interrupt);
    await until(() => err.includes('answered'), 'the call to be answered');
    interrupt.handler!();
    const { status, out } = await running;
    expect(status).toBe(130);
    expect(JSON.parse(out[0])).toMatchObject({ outcome: 'answered', endedBy: 'local' });
    const far = trunk.callTo('+14155550195')!;
    await until(() => far.requests.includes('BYE'), 'the trunk to get our BYE');
  });

  it('stops listening on Ctrl-C when no call is in progress', async () => {
    await startTrunk();
    const err: string[] = [];
    const interrupt: { handler?: () => void } = {};
    const running = runMain([...LISTEN_ARGS], {}, err, interrupt);
    await listeningPort(err);
    interrupt.handler!();
    const { status, out } = await running;
    expect(status).toBe(130);
    expect(out).toEqual([]);
  });

  it('runs from a shell through the bin launcher', async () => {
    const trunk = await startTrunk();
    // Through PeerProcesses: the child is stopped by its PID in teardown if the test fails before it exits.
    const { exitCode, output } = await peers.run(process.execPath, [
      bin,
      'call',
      '+14155550199',
      ...baseArgs(trunk),
      '--hangup-after',
      '1s',
      '--json',
    ]);
    expect(exitCode, output).toBe(0);
    expect(JSON.parse(jsonLine(output))).toMatchObject({ outcome: 'answered', matched: true });
  });
});
