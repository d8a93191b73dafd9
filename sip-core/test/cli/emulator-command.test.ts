// The real `trunkline` bin in child processes: `emulator` (JSON lines, port 0, SIGTERM ending a call with its
// CDR), `emulator place-call` through the control channel, `emulator export-ca`, `cdr` with filters, and a config
// with errors refused with every error listed. Every process is stopped by its PID in teardown.

import { createSocket } from 'node:dgram';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { mkdtemp, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { DEMO_ACCOUNT_CONFIG, DEMO_CREDENTIALS } from '../../src/policy/account/demo-account.js';
import { PeerProcesses } from '../support/peer-process.js';
import { jsonLines, TRUNKLINE_BIN as bin, waitForLine } from '../support/trunkline-cli.js';
import { TestPbx } from '../support/test-pbx.js';

const peers = new PeerProcesses();
const cleanup: Array<() => Promise<void>> = [];

afterEach(async () => {
  await peers.stopAll();
  for (const step of cleanup.splice(0).reverse()) await step();
});

/** Each thread's nice value (field 19 of /proc/PID/task/TID/stat, after the parenthesised name). */
function niceValues(pid: number): Map<number, number> {
  const values = new Map<number, number>();
  for (const tid of readdirSync(`/proc/${pid}/task`)) {
    const stat = readFileSync(`/proc/${pid}/task/${tid}/stat`, 'utf8');
    values.set(Number(tid), Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[16]));
  }
  return values;
}

async function tempDir(): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), 'trunkline-cli-'));
  cleanup.push(() => rm(dir, { recursive: true, force: true }));
  return dir;
}

describe('trunkline emulator', () => {
  it('listens on free ports, places an inbound call on request, and on SIGTERM ends a call with its CDR', async () => {
    const dir = await tempDir();
    const pbx = await TestPbx.start();
    cleanup.push(() => pbx.close());
    const account = structuredClone(DEMO_ACCOUNT_CONFIG) as unknown as {
      origination_uris: Array<{ uri: string }>;
    };
    account.origination_uris[0].uri = `127.0.0.1:${pbx.listener.local.port};transport=udp`;
    const config = join(dir, 'emulator.json');
    await writeFile(config, JSON.stringify({ version: 1, account }));

    const server = peers.start(process.execPath, [
      bin,
      'emulator',
      '--config',
      config,
      '--data',
      dir,
      '--udp',
      '0',
      '--tcp',
      '0',
      '--tls',
      'off',
      '--json',
    ]);
    const listening = await waitForLine(server, 'listening');
    expect(listening['udp']).toMatchObject({ address: '127.0.0.1' });
    const udp = listening['udp'] as { address: string; port: number };
    expect(udp.port).toBeGreaterThan(0);
    expect((await stat(join(dir, 'emulator-control.json'))).mode & 0o777).toBe(0o600);

    // An outbound call from the PBX, left up for SIGTERM to end.
    const call = await pbx.call({
      emulator: udp,
      to: '+14155550111',
      trunkHost: '10000000000002.zt.plivo.com',
    });
    expect(call.final?.statusCode).toBe(200);

    // place-call through the control channel: the PBX answers; it hangs up at once.
    const placed = await peers.run(process.execPath, [
      bin,
      'emulator',
      'place-call',
      '--data',
      dir,
      '--from',
      '+14155550101',
      '--to',
      '+14155550100',
      '--json',
    ]);
    expect(placed.exitCode).toBe(0);
    expect(JSON.parse(placed.output.trim())).toMatchObject({ outcome: 'answered', leg: 'primary' });
    expect((await pbx.bye(pbx.inboundCalls[0])).statusCode).toBe(200);
    await waitForLine(server, 'call');

    process.kill(server.pid, 'SIGTERM');
    expect(await server.exited).toBe(0);
    const bye = await call.nextRequest((r) => r.method === 'BYE');
    expect(bye.headers.get('x-zt-hangup-code')).toBe('5250');
    const stopped = jsonLines(server).find((line) => line.type === 'stopped');
    expect(stopped).toMatchObject({ signal: 'SIGTERM', endedCalls: 1 });
    const codes = jsonLines(server)
      .filter((line) => line.type === 'call')
      .map((line) => line['hangupCauseCode']);
    expect(codes.sort()).toEqual([3010, 5250]);

    // The CDRs are in the store: `trunkline cdr` lists them, and filters them.
    const all = await peers.run(process.execPath, [bin, 'cdr', '--data', dir, '--format', 'json']);
    expect(all.exitCode).toBe(0);
    expect((JSON.parse(all.output) as unknown[]).length).toBe(2);
    const inbound = await peers.run(process.execPath, [
      bin,
      'cdr',
      '--data',
      dir,
      'call_direction=inbound',
      '--format',
      'csv',
    ]);
    expect(inbound.output.trim().split('\n')).toHaveLength(2);
    expect(inbound.output).toContain('normal_hangup');
    const bad = await peers.run(process.execPath, [bin, 'cdr', '--data', dir, 'hangup_cause_code=abc']);
    expect(bad.exitCode).toBe(1);
    expect(bad.output.trim().split('\n')).toHaveLength(1);
    expect(bad.output).toMatch(/^trunkline: /);
  });

  it('gives every helper thread nice 10 but the CDR writer, leaves the SIP event loop alone; --helper-nice sets or skips it', async () => {
    const dir = await tempDir();
    const args = ['emulator', '--data', dir, '--udp', '0', '--tcp', 'off', '--tls', 'off', '--json'];
    const server = peers.start(process.execPath, [bin, ...args]);
    const listening = await waitForLine(server, 'listening');
    expect(listening['helperThreads']).toMatchObject({ supported: true, niceness: 10, failed: 0 });
    const { kept } = listening['helperThreads'] as { kept: number[] };
    // The CDR writer thread reported its own id, and it is one of this process's threads (docs/adr/0166).
    expect(kept).toHaveLength(1);
    const writer = kept[0];
    const nice = niceValues(server.pid);
    expect(writer).not.toBe(server.pid);
    expect(nice.has(writer)).toBe(true);
    expect(nice.get(server.pid)).toBe(0);
    expect(nice.get(writer)).toBe(0);
    const helpers = [...nice].filter(([tid]) => tid !== server.pid && tid !== writer);
    // At least V8's platform threads and libuv's pool.
    expect(helpers.length).toBeGreaterThanOrEqual(4);
    for (const [, value] of helpers) expect(value).toBe(10);

    const untouched = peers.start(process.execPath, [bin, ...args, '--helper-nice', '0']);
    await waitForLine(untouched, 'listening');
    expect(new Set(niceValues(untouched.pid).values())).toEqual(new Set([0]));

    const refused = await peers.run(process.execPath, [bin, ...args, '--helper-nice', '20']);
    expect(refused.exitCode).toBe(1);
    expect(refused.output).toContain('--helper-nice must be a whole number 0–19');
  });

  it('place-call without a running emulator says how to start one', async () => {
    const dir = await tempDir();
    const run = await peers.run(process.execPath, [
      bin,
      'emulator',
      'place-call',
      '--data',
      dir,
      '--from',
      '+1',
      '--to',
      '+2',
    ]);
    expect(run.exitCode).toBe(1);
    expect(run.output).toContain('trunkline emulator');
  });

  it('refuses a config with errors, listing every one', async () => {
    const dir = await tempDir();
    const config = join(dir, 'bad.json');
    await writeFile(config, JSON.stringify({ version: 1, listen: { udp: 'x', tcp: -1 }, listne: {} }));
    const run = await peers.run(process.execPath, [bin, 'emulator', '--config', config, '--data', dir]);
    expect(run.exitCode).toBe(1);
    expect(run.output).toContain('listen.udp');
    expect(run.output).toContain('listen.tcp');
    expect(run.output).toContain('listne');
  });

  it('--pbx-ca that cannot be read is one line naming the file, exit 1; --verify-pbx-tls shows in the listening line', async () => {
    const dir = await tempDir();
    const missing = join(dir, 'no-such-ca.pem');
    const run = await peers.run(process.execPath, [bin, 'emulator', '--data', dir, '--pbx-ca', missing]);
    expect(run.exitCode).toBe(1);
    expect(run.output.trim().split('\n')).toHaveLength(1);
    expect(run.output).toContain(`--pbx-ca ${missing}: cannot read it`);

    const server = peers.start(process.execPath, [
      bin,
      'emulator',
      '--data',
      dir,
      '--udp',
      '0',
      '--tcp',
      'off',
      '--tls',
      'off',
      '--verify-pbx-tls',
      '--json',
    ]);
    const listening = await waitForLine(server, 'listening');
    expect(listening['verifiesPbxCertificates']).toBe(true);
  });

  it('a port in use is one line saying what to do, exit 1', async () => {
    const dir = await tempDir();
    const socket = createSocket('udp4');
    await new Promise<void>((resolve) => socket.bind(0, '127.0.0.1', resolve));
    cleanup.push(() => new Promise<void>((resolve) => socket.close(() => resolve())));
    const port = String(socket.address().port);
    const run = await peers.run(process.execPath, [
      bin,
      'emulator',
      '--data',
      dir,
      '--udp',
      port,
      '--tcp',
      '0',
      '--tls',
      'off',
    ]);
    expect(run.exitCode).toBe(1);
    expect(run.output.trim().split('\n')).toHaveLength(1);
    expect(run.output).toContain('the port is in use');
  });

  it('--print-config prints the effective configuration with the overrides, passwords redacted, and exits', async () => {
    const dir = join(await tempDir(), 'data');
    const run = await peers.run(process.execPath, [
      bin,
      'emulator',
      '--print-config',
      '--data',
      dir,
      '--udp',
      '5070',
      '--tls',
      'off',
    ]);
    expect(run.exitCode, run.output).toBe(0);
    expect(run.output).toContain('Source: built-in');
    expect(run.output).toMatch(/udp\s+127\.0\.0\.1:5070/);
    expect(run.output).toContain('passwords redacted');
    expect(run.output).not.toContain(DEMO_CREDENTIALS.credential.password);
    expect(run.output).not.toContain(DEMO_CREDENTIALS.secure.password);
    // It only prints: no listener, no data folder created.
    expect(existsSync(dir)).toBe(false);
  });

  it('export-ca writes the local CA certificate', async () => {
    const dir = await tempDir();
    const out = join(dir, 'ca.pem');
    const run = await peers.run(process.execPath, [
      bin,
      'emulator',
      'export-ca',
      '--data',
      dir,
      '--out',
      out,
    ]);
    expect(run.exitCode).toBe(0);
    expect(await readFile(out, 'utf8')).toMatch(/^-----BEGIN CERTIFICATE-----/);
  });
});
