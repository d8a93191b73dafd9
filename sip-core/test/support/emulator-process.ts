// The real `trunkline emulator` bin as a child process for CLI and acceptance tests: started through
// PeerProcesses (stopped by PID in teardown, also `kill -9`-able by a test), with `--json` so that its first line
// names the actual ports; its JSON lines are read with `trunkline-cli.ts`.

import type { PeerProcess, PeerProcesses } from './peer-process.js';
import { TRUNKLINE_BIN, waitForLine } from './trunkline-cli.js';

export interface ListenAddress {
  readonly address: string;
  readonly port: number;
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
