// The child process of the durable-BYE crash test (docs/adr/0150): the real emulator, in-process API, on UDP port
// 0 of 127.0.0.1 with the demo account (every trunk's CPS limit lifted, so that a burst of calls is admitted),
// its store in the given data folder. It prints one JSON line with its UDP address once it listens, then serves
// until the parent kills it with SIGKILL.
//
//   node --import tsx emulator-crash-child.ts <data folder>   → {"udp":{"address":"127.0.0.1","port":N}}

import { writeSync } from 'node:fs';
import { Emulator } from '../../src/emulator/emulator.js';
import { parseEmulatorConfig } from '../../src/emulator/index.js';
import { DEMO_ACCOUNT_CONFIG } from '../../src/policy/index.js';

const [dataDir] = process.argv.slice(2);
if (dataDir === undefined) throw new Error('usage: emulator-crash-child.ts <data folder>');

const account = {
  ...DEMO_ACCOUNT_CONFIG,
  limits: {
    ...DEMO_ACCOUNT_CONFIG.limits,
    account_cps: 1_000,
    trunk_cps: {
      '10000000000001': null,
      '10000000000002': null,
      '10000000000003': null,
      '10000000000004': null,
    },
  },
};
const parsed = parseEmulatorConfig(
  {
    version: 1,
    dataDir,
    account,
    listen: { host: '127.0.0.1', udp: 0, tcp: 0, tls: null },
    settings: { mediaPortRange: { min: 30000, max: 39999 } },
  },
  { baseDir: dataDir, source: { kind: 'built-in' } },
);
if (!parsed.ok) throw new Error(parsed.issues.map((i) => `${i.path}: ${i.message}`).join('\n'));
const emulator = await Emulator.start(parsed.value, { dataDir });
writeSync(1, `${JSON.stringify({ udp: emulator.addresses().udp })}\n`);
