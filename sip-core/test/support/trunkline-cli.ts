// Reading what `trunkline call` prints when it runs as a child process: progress lines go to stderr and the result
// to stdout, and a child's two streams arrive captured together, so the result is the line that is a JSON object.

import { setTimeout as sleep } from 'node:timers/promises';
import type { CallResult } from '../../src/cli/call-result.js';
import type { PeerProcess } from './peer-process.js';

/** The path of the `trunkline` bin launcher, as a user runs it from a shell. */
export const TRUNKLINE_BIN = new URL('../../bin/trunkline.mjs', import.meta.url).pathname;

/** The result line of a run whose stdout and stderr were captured together (progress lines are not JSON). */
export function jsonLine(output: string): string {
  const line = output.split('\n').find((l) => l.startsWith('{'));
  if (line === undefined) throw new Error(`no JSON result in:\n${output}`);
  return line;
}

/** The `--json` result of one call in the combined output of a run. */
export function callResultOf(output: string): CallResult {
  return JSON.parse(jsonLine(output)) as CallResult;
}

/** One JSON line of `trunkline emulator --json` (`listening`, `call`, `dtmf`, `stopped`, `error`). */
export interface EmulatorJsonLine {
  readonly type: string;
  readonly [key: string]: unknown;
}

/** Every JSON line a running `trunkline emulator --json` printed so far. */
export function jsonLines(peer: PeerProcess): EmulatorJsonLine[] {
  return peer
    .output()
    .split('\n')
    .filter((line) => line.startsWith('{'))
    .map((line) => JSON.parse(line) as EmulatorJsonLine);
}

/** The first JSON line of `type`, waiting for it (the emulator prints `listening` once its sockets are bound). */
export async function waitForLine(
  peer: PeerProcess,
  type: string,
  timeoutMs = 20_000,
): Promise<EmulatorJsonLine> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const found = jsonLines(peer).find((line) => line.type === type);
    if (found) return found;
    if (Date.now() > deadline) throw new Error(`no "${type}" line; output:\n${peer.output()}`);
    await sleep(50);
  }
}
