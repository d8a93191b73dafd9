// Starts an Emulator for an integration test: the demo account (or a given one), listeners on 127.0.0.1 port 0,
// no TLS unless asked, a temporary data folder, and the events it emits collected for assertions.

import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import type { Clock } from '../../src/common/clock.js';
import { Emulator, type EmulatorStartOptions } from '../../src/emulator/emulator.js';
import { parseEmulatorConfig, type EmulatorConfig } from '../../src/emulator/index.js';
import type { EmulatorEvents } from '../../src/emulator/emulator-events.js';
import type { CallDetailRecord } from '../../src/store/index.js';

export interface EmulatorHarness {
  readonly emulator: Emulator;
  readonly config: EmulatorConfig;
  readonly dataDir: string;
  readonly udp: { readonly address: string; readonly port: number };
  readonly events: { [K in keyof EmulatorEvents]?: Array<Parameters<EmulatorEvents[K]>[0]> };
  /** Waits until the CDR of a call with this SIP Call-ID (or matching `match`) is in the store. */
  cdr(match: string | ((cdr: CallDetailRecord) => boolean), timeoutMs?: number): Promise<CallDetailRecord>;
  close(): Promise<void>;
}

export async function startEmulator(
  file: Record<string, unknown> = {},
  options: Omit<EmulatorStartOptions, 'dataDir'> & { clock?: Clock } = {},
): Promise<EmulatorHarness> {
  const dataDir = await mkdtemp(join(tmpdir(), 'trunkline-emulator-'));
  const parsed = parseEmulatorConfig(
    {
      version: 1,
      dataDir,
      listen: { host: '127.0.0.1', udp: 0, tcp: 0, tls: null },
      ...file,
      settings: { mediaPortRange: { min: 30000, max: 39999 }, ...(file['settings'] as object | undefined) },
    },
    { baseDir: dataDir, source: { kind: 'built-in' } },
  );
  if (!parsed.ok) throw new Error(parsed.issues.map((i) => `${i.path}: ${i.message}`).join('\n'));
  const emulator = await Emulator.start(parsed.value, { stopGraceMs: 500, ...options, dataDir });
  const events: EmulatorHarness['events'] = {};
  const names: Array<keyof EmulatorEvents> = [
    'callState',
    'policyDecision',
    'cdrWritten',
    'inboundCall',
    'transfer',
    'dtmf',
    'error',
    'optionsRate',
    'cpsQueue',
  ] as Array<keyof EmulatorEvents>;
  for (const name of names) {
    const list: unknown[] = [];
    (events as Record<string, unknown[]>)[name] = list;
    emulator.events.on(name, (event: unknown) => list.push(event));
  }
  const udp = emulator.addresses().udp!;
  return {
    emulator,
    config: parsed.value,
    dataDir,
    udp,
    events,
    async cdr(match, timeoutMs = 5_000) {
      const test = typeof match === 'string' ? (c: CallDetailRecord) => c.call_id === match : match;
      const deadline = Date.now() + timeoutMs;
      for (;;) {
        const found = emulator.store.listCdrs({ limit: 1000 }).objects.find(test);
        if (found) return found;
        if (Date.now() > deadline) throw new Error('no such CDR was written');
        await sleep(20);
      }
    },
    async close() {
      await emulator.stop();
      await rm(dataDir, { recursive: true, force: true });
    },
  };
}

/** Polls `condition` every 20 ms until it holds or `timeoutMs` passes. */
export async function eventually(
  condition: () => boolean,
  timeoutMs = 5_000,
  what = 'condition',
): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await sleep(20);
  }
}
