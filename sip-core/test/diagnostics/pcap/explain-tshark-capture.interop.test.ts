import { execFile } from 'node:child_process';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterEach, describe, expect, it } from 'vitest';
import { explainCapture } from '../../../src/diagnostics/explain/index.js';
import { analyzeCaptureFile, LINKTYPE, readCaptureFile } from '../../../src/diagnostics/pcap/index.js';
import { freePorts } from '../../support/free-port.js';
import { requirePeer, shouldRunWith } from '../../support/peer-binary.js';
import { PeerProcesses } from '../../support/peer-process.js';
import { StackUas } from '../../support/stack-uas.js';
import { useTempDir } from '../../support/temp-dir.js';
import { startCapture } from '../../support/tshark-capture.js';

// We read what tshark writes: SIPp places a call to the test UAS, which refuses it with 403 — with Zentrunk's
// `X-ZT-Hangup-Code: 4190` and Reason, or bare — while tshark captures the loopback (classic pcap, pcapng, and
// `-i any` with Linux cooked headers). `trunkline explain` must name 4190 unknown_caller_id and its remedy, or,
// without the header, the candidates for 403. (The same capture against the real emulator comes with the checks.)

const run = promisify(execFile);
const bin = new URL('../../../bin/trunkline.mjs', import.meta.url).pathname;
const peers = new PeerProcesses();
const dir = useTempDir('trunkline-explain-capture-');
const closers: Array<() => Promise<void>> = [];
afterEach(async () => {
  for (const close of closers.splice(0).reverse()) await close();
  await peers.stopAll();
});

const HANGUP_HEADERS = [
  ['X-ZT-Hangup-Code', '4190'],
  ['Reason', 'SIP;cause=403;text="unknown_caller_id"'],
] as const;

/** SIPp uac → test UAS answering 403, captured by tshark; returns the capture file. */
async function captureRejectedCall(
  name: string,
  options: { headers: boolean; iface?: string; format?: 'pcap' | 'pcapng' },
): Promise<string> {
  const uas = await StackUas.start([{ transport: 'udp' }], {
    finalStatus: 403,
    ...(options.headers ? { finalHeaders: HANGUP_HEADERS } : {}),
  });
  closers.push(() => uas.close());
  const port = uas.listener('udp').local.port;
  const file = join(dir(), `${name}.${options.format ?? 'pcap'}`);
  const capture = await startCapture(peers, {
    filter: `udp port ${port}`,
    file,
    ...(options.iface ? { iface: options.iface } : {}),
    ...(options.format ? { format: options.format } : {}),
  });
  const sipp = peers.start(
    'sipp',
    [
      '-sn',
      'uac',
      `127.0.0.1:${port}`,
      '-t',
      'u1',
      '-i',
      '127.0.0.1',
      '-p',
      String(await freePorts()),
      '-m',
      '1',
      '-timeout',
      '20s',
      '-nostdin',
    ],
    { cwd: dir() },
  );
  await sipp.exited;
  // The ACK for the 403 follows the response by microseconds; give the capture a moment to write it.
  await new Promise((resolve) => setTimeout(resolve, 300));
  await capture.stop();
  expect(uas.counters.invites, sipp.output()).toBe(1);
  return file;
}

async function explainCli(file: string): Promise<{ code: number; stdout: string }> {
  try {
    const { stdout } = await run(process.execPath, [bin, 'explain', file]);
    return { code: 0, stdout };
  } catch (error) {
    const failed = error as { code: number; stdout: string };
    return { code: failed.code, stdout: failed.stdout };
  }
}

describe.skipIf(!shouldRunWith('tshark') || !shouldRunWith('sipp'))(
  'trunkline explain on tshark captures',
  () => {
    it('names 4190 unknown_caller_id and its remedy from a classic pcap of a 403 with X-ZT-Hangup-Code', async () => {
      if (!requirePeer('tshark') || !requirePeer('sipp')) return;
      const file = await captureRejectedCall('with-header', { headers: true });
      const result = await explainCli(file);
      expect(result.code, result.stdout).toBe(0);
      expect(result.stdout).toContain('1 call');
      expect(result.stdout).toMatch(/Final response:\s+403 Forbidden/);
      expect(result.stdout).toMatch(/Hangup code:\s+4190 \(X-ZT-Hangup-Code\)/);
      expect(result.stdout).toContain('4190 unknown_caller_id');
      expect(result.stdout).toMatch(/Remedy:\s+Use one of your Plivo numbers as the caller ID/);
      expect(result.stdout).toMatch(/\|-+ INVITE \(SDP\) -+>\|/);
    });

    it('lists the inferred candidates for 403 when the capture has no hangup header', async () => {
      if (!requirePeer('tshark') || !requirePeer('sipp')) return;
      const file = await captureRejectedCall('without-header', { headers: false });
      const result = await explainCli(file);
      expect(result.code, result.stdout).toBe(0);
      expect(result.stdout).toMatch(/No X-ZT-Hangup-Code header: \d+ causes fit SIP 403\s+\(inferred\)/);
      expect(result.stdout).toContain('Candidate 4190 unknown_caller_id (inferred)');
    });

    it.each([
      { name: 'pcapng from tshark', iface: 'lo', format: 'pcapng' as const, expected: 'pcapng' },
      { name: 'Linux cooked capture (-i any)', iface: 'any', format: 'pcapng' as const, expected: 'pcapng' },
      {
        name: 'Linux cooked capture (-i any, classic pcap)',
        iface: 'any',
        format: 'pcap' as const,
        expected: 'pcap',
      },
    ])('reads a $name', async ({ name, iface, format, expected }) => {
      if (!requirePeer('tshark') || !requirePeer('sipp')) return;
      const file = await captureRejectedCall(name.replace(/\W+/g, '-'), { headers: true, iface, format });
      const linkTypes = new Set<number>();
      for await (const packet of readCaptureFile(file)) linkTypes.add(packet.linkType);
      expect([...linkTypes]).toEqual(
        iface === 'any' ? [expect.toBeOneOf([LINKTYPE.LINUX_SLL, LINKTYPE.LINUX_SLL2])] : [LINKTYPE.ETHERNET],
      );
      const explanation = explainCapture(await analyzeCaptureFile(file));
      expect(explanation.format).toBe(expected);
      expect(explanation.calls).toHaveLength(1);
      const [call] = explanation.calls;
      expect(call.ladder.arrows.map((a) => a.method)).toEqual(expect.arrayContaining(['INVITE', 'ACK']));
      expect(call.explanation.hangupCode).toEqual({ code: 4190, origin: 'header' });
      expect(call.explanation.causes[0]).toMatchObject({ causeName: 'unknown_caller_id', inferred: false });
    });
  },
);
