// The real `trunkline emulator` bin as a child process for CLI and acceptance tests: started through
// PeerProcesses (stopped by PID in teardown, also `kill -9`-able by a test), with `--json` so that its first line
// names the actual ports, and its JSON lines (`listening`, `call`, `stopped`, `error`) readable as they come.

import { setTimeout as sleep } from 'node:timers/promises';
import type { PeerProcess, PeerProcesses } from './peer-process.js';

export const TRUNKLINE_BIN = new URL('../../bin/trunkline.mjs', import.meta.url).pathname;

export interface JsonLine {
  readonly type: string;
  readonly [key: string]: unknown;
}

export interface ListenAddress {
  readonly address: string;
  readonly port: number;
}

/** Every JSON line the process printed so far (stdout and stderr), in order. */
export function jsonLines(peer: PeerProcess): JsonLine[] {
  return peer
    .output()
    .split('\n')
    .filter((line) => line.startsWith('{'))
    .map((line) => JSON.parse(line) as JsonLine);
}

/** The first JSON line of `type`, waiting for it to be printed. */
export async function waitForLine(peer: PeerProcess, type: string, timeoutMs = 20_000): Promise<JsonLine> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const found = jsonLines(peer).find((line) => line.type === type);
    if (found) return found;
    if (Date.now() > deadline) throw new Error(`no "${type}" line; output:\n${peer.output()}`);
    await sleep(50);
  }
}

export interface StartedEmulatorProcess {
  readonly process: PeerProcess;
  readonly udp: ListenAddress;
  readonly tcp: ListenAddress;
  readonly tls?: ListenAddress;
}

/**
 * `trunkline emulator --data dir --json` on free UDP and TCP ports (TLS too when `tls`), plus `args`; resolves
 * once it listens.
 */
export async function startEmulatorProcess(
  peers: PeerProcesses,
  dataDir: string,
  options: { tls?: boolean; args?: readonly string[] } = {},
): Promise<StartedEmulatorProcess> {
  const process = peers.start(globalThis.process.execPath, [
    TRUNKLINE_BIN,
    'emulator',
    '--data',
    dataDir,
    '--udp',
    '0',
    '--tcp',
    '0',
    '--tls',
    options.tls ? '0' : 'off',
    '--json',
    ...(options.args ?? []),
  ]);
  const listening = await waitForLine(process, 'listening');
  return {
    process,
    udp: listening['udp'] as ListenAddress,
    tcp: listening['tcp'] as ListenAddress,
    ...(listening['tls'] ? { tls: listening['tls'] as ListenAddress } : {}),
  };
}
