import { execFile } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { beforeAll, describe, expect, it } from 'vitest';
import { FilePcapSink, PcapRecorder } from '../../src/diagnostics/pcap/index.js';
import { flowInputs, rejectedFlow } from '../support/call-flows.js';
import { useTempDir } from '../support/temp-dir.js';

// `trunkline explain` through the real launcher in a child process, as a user runs it.

const run = promisify(execFile);
const bin = new URL('../../bin/trunkline.mjs', import.meta.url).pathname;

interface Result {
  readonly code: number;
  readonly stdout: string;
  readonly stderr: string;
}

async function trunkline(...args: string[]): Promise<Result> {
  try {
    const { stdout, stderr } = await run(process.execPath, [bin, ...args]);
    return { code: 0, stdout, stderr };
  } catch (error) {
    const failed = error as { code: number; stdout: string; stderr: string };
    return { code: failed.code, stdout: failed.stdout, stderr: failed.stderr };
  }
}

const dir = useTempDir('trunkline-explain-');
let capture: string;
let captureWithoutHeader: string;

async function writeCapture(path: string, hangupCode?: number): Promise<void> {
  const recorder = new PcapRecorder(new FilePcapSink(path), { format: 'pcap' });
  for (const input of flowInputs(rejectedFlow(hangupCode !== undefined ? { hangupCode } : {}))) {
    recorder.writeSip({
      wallTimeMs: input.timestampMs,
      monotonicTimeMs: input.timestampMs,
      direction: 'sent',
      transport: 'udp',
      local: input.source,
      remote: input.destination,
      bytes: input.bytes,
    });
  }
  await recorder.close();
}

beforeAll(async () => {
  capture = join(dir(), 'rejected-4190.pcap');
  captureWithoutHeader = join(dir(), 'rejected-plain.pcap');
  await writeCapture(capture, 4190);
  await writeCapture(captureWithoutHeader);
});

describe('trunkline explain', () => {
  it('explains a hangup code', async () => {
    const result = await trunkline('explain', '4190');
    expect(result.code).toBe(0);
    expect(result.stdout).toContain('4190 unknown_caller_id');
    expect(result.stdout).toMatch(/SIP status:\s+403 Forbidden/);
    expect(result.stdout).toMatch(/What to check:/);
    expect(result.stdout).toMatch(/Remedy:\s+Use one of your Plivo numbers/);
  });

  it('explains a cause name', async () => {
    const result = await trunkline('explain', 'unknown_caller_id');
    expect(result.code).toBe(0);
    expect(result.stdout).toContain('unknown_caller_id is hangup code 4190');
  });

  it('lists the candidate codes of a SIP status', async () => {
    const result = await trunkline('explain', '403');
    expect(result.code).toBe(0);
    expect(result.stdout).toContain('Candidate 4190 unknown_caller_id (inferred)');
    expect(result.stdout).toContain('Candidate 4560 barred_country (inferred)');
  });

  it('explains every call of a capture: ladder, final response, hangup code and remedy', async () => {
    const result = await trunkline('explain', capture);
    expect(result.code).toBe(0);
    expect(result.stdout).toContain('1 call');
    expect(result.stdout).toMatch(/\|-+ INVITE \(SDP\) -+>\|/);
    expect(result.stdout).toMatch(/Final response:\s+403 Forbidden/);
    expect(result.stdout).toMatch(/Hangup code:\s+4190 \(X-ZT-Hangup-Code\)/);
    expect(result.stdout).toMatch(/Remedy:\s+Use one of your Plivo numbers/);
    expect(result.stdout).toMatch(/From:\s+sip:\+14155550100@127\.0\.0\.1/);
  });

  it('infers the candidates when the capture has no hangup header', async () => {
    const result = await trunkline('explain', captureWithoutHeader);
    expect(result.code).toBe(0);
    expect(result.stdout).toMatch(/No X-ZT-Hangup-Code header: \d+ causes fit SIP 403\s+\(inferred\)/);
    expect(result.stdout).toContain('Candidate 4190 unknown_caller_id (inferred)');
  });

  it('prints JSON with --json', async () => {
    const code = JSON.parse((await trunkline('explain', '4190', '--json')).stdout) as {
      causes: Array<{ code: number }>;
    };
    expect(code.causes[0].code).toBe(4190);
    const file = JSON.parse((await trunkline('explain', capture, '--json')).stdout) as {
      kind: string;
      calls: Array<{
        explanation: { hangupCode: { code: number; origin: string } };
        ladder: { arrows: unknown[] };
      }>;
    };
    expect(file.kind).toBe('capture');
    expect(file.calls[0].explanation.hangupCode).toEqual({ code: 4190, origin: 'header' });
    expect(file.calls[0].ladder.arrows).toHaveLength(4);
  });

  it.each([
    [['explain', 'banana!'], /cannot explain 'banana!'/],
    [['explain', '9999'], /9999 is not a known Zentrunk hangup code/],
    [['explain', 'missing-file.pcap'], /Cannot open the capture missing-file\.pcap/],
  ])('fails with a helpful message for %j', async (args, message) => {
    const result = await trunkline(...args);
    expect(result.code).toBe(1);
    expect(result.stdout + result.stderr).toMatch(message);
  });

  it('names the problem of a file that is not a capture', async () => {
    const path = join(dir(), 'notes.pcap');
    writeFileSync(path, 'these are my notes, not a capture');
    const result = await trunkline('explain', path);
    expect(result.code).toBe(1);
    expect(result.stderr).toMatch(/not a pcap or pcapng capture/);
  });
});
