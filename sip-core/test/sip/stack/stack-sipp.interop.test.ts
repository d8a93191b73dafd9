// The stack against SIPp 3.6.1 over real sockets: SIPp's built-in `uac` calls a test UAS built on the stack, and
// a test UAC built on the stack calls SIPp's built-in `uas` — 200 calls each at 50 calls/s, over UDP and TCP. What
// SIPp observed (its exit code, its statistics CSV, its error file) is asserted, and so is what the stack saw.

import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { freePorts, waitForUdpBind } from '../../support/free-port.js';
import { requirePeer } from '../../support/peer-binary.js';
import { PeerProcesses } from '../../support/peer-process.js';
import { readSippErrors, readSippStats, sippReportArgs } from '../../support/sipp-stats.js';
import { StackUac } from '../../support/stack-uac.js';
import { StackUas } from '../../support/stack-uas.js';

const CALLS = 200;
const RATE = 50;
const peers = new PeerProcesses();
const closers: Array<() => Promise<void>> = [];
let dir: string;

beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'trunkline-stack-sipp-'));
});
afterEach(async () => {
  await peers.stopAll();
  for (const close of closers.splice(0)) await close();
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

async function waitForTcpListen(port: number): Promise<void> {
  const net = await import('node:net');
  for (let attempt = 0; attempt < 100; attempt++) {
    const ok = await new Promise<boolean>((resolve) => {
      const socket = net.connect(port, '127.0.0.1', () => {
        socket.destroy();
        resolve(true);
      });
      socket.once('error', () => resolve(false));
    });
    if (ok) return;
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  throw new Error(`nothing listens on TCP 127.0.0.1:${port}`);
}

describe.each(['udp', 'tcp'] as const)('SIPp and the stack over %s', (transport) => {
  const sippTransport = transport === 'udp' ? 'u1' : 't1';

  it(`SIPp uac places ${CALLS} calls at ${RATE}/s to the test UAS: all succeed, nothing unexpected`, async () => {
    if (!requirePeer('sipp')) return;
    const uas = await StackUas.start([{ transport }]);
    closers.push(() => uas.close());
    const drops: string[] = [];
    uas.stack.trace.subscribe((record) => {
      if (record.kind === 'drop') drops.push(`${record.reason}: ${record.detail}`);
    });
    const name = `uac-${transport}`;
    const sipp = peers.start(
      'sipp',
      [
        '-sn',
        'uac',
        `127.0.0.1:${uas.listener(transport).local.port}`,
        '-t',
        sippTransport,
        '-i',
        '127.0.0.1',
        '-p',
        String(await freePorts()),
        '-m',
        String(CALLS),
        '-r',
        String(RATE),
        '-d',
        '100',
        '-timeout',
        '60s',
        '-timeout_error',
        ...sippReportArgs(dir, name),
      ],
      { cwd: dir },
    );

    const code = await sipp.exited;
    const stats = readSippStats(join(dir, `${name}-stat.csv`));
    expect(code, sipp.output()).toBe(0);
    expect(stats).toMatchObject({ SuccessfulCall: CALLS, FailedCall: 0, FailedUnexpectedMessage: 0 });
    expect(readSippErrors(join(dir, `${name}-errors.log`))).toBe('');
    expect(uas.counters).toMatchObject({ invites: CALLS, answered: CALLS, acks: CALLS, byes: CALLS });
    expect(uas.counters.unexpected).toBe(0);
    expect(uas.counters.ackTimeouts).toBe(0);
    expect(uas.stack.counters).toMatchObject({ parseErrors: 0, viaMismatches: 0, strayResponses: 0 });
    expect(drops).toEqual([]);
  });

  it(`the test UAC places ${CALLS} calls at ${RATE}/s to SIPp uas: all succeed, nothing unexpected`, async () => {
    if (!requirePeer('sipp')) return;
    const port = await freePorts();
    const name = `uas-${transport}`;
    const sipp = peers.start(
      'sipp',
      [
        '-sn',
        'uas',
        '-t',
        sippTransport,
        '-i',
        '127.0.0.1',
        '-p',
        String(port),
        '-m',
        String(CALLS),
        '-timeout',
        '90s',
        '-timeout_error',
        ...sippReportArgs(dir, name),
      ],
      { cwd: dir },
    );
    if (transport === 'udp') await waitForUdpBind(port);
    else await waitForTcpListen(port);
    const uac = await StackUac.start([{ transport }]);
    closers.push(() => uac.close());
    const drops: string[] = [];
    uac.stack.trace.subscribe((record) => {
      if (record.kind === 'drop') drops.push(`${record.reason}: ${record.detail}`);
    });

    const result = await uac.runCalls(CALLS, RATE, {
      uri: `sip:service@127.0.0.1:${port}${transport === 'tcp' ? ';transport=tcp' : ''}`,
      holdMs: 100,
    });
    expect(result).toEqual({ succeeded: CALLS, failed: 0, failures: {} });
    // SIPp's uas keeps each call for a few seconds after the BYE (to absorb retransmissions), then exits on its own.
    const code = await sipp.exited;
    const stats = readSippStats(join(dir, `${name}-stat.csv`));
    expect(code, sipp.output()).toBe(0);
    expect(stats).toMatchObject({ SuccessfulCall: CALLS, FailedCall: 0, FailedUnexpectedMessage: 0 });
    expect(readSippErrors(join(dir, `${name}-errors.log`))).toBe('');
    expect(uac.stack.counters).toMatchObject({ parseErrors: 0, viaMismatches: 0, strayResponses: 0 });
    expect(drops).toEqual([]);
  });
});
