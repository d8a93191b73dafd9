// The child process of the store's crash tests. It writes in a loop and reports each write on stdout only after
// the call that made it durable has returned; the parent kills it with SIGKILL at a moment of its choosing and
// checks that everything reported survived.
//
//   node --import tsx store-crash-writer.ts cdr  <database> <first index>   → "<index>\n" per committed CDR
//   node --import tsx store-crash-writer.ts json <file>                     → "<counter>\n" per settings write

import { writeSync } from 'node:fs';
import { atomicWriteJson } from '../../src/store/atomic-json-file.js';
import { TrunklineStore } from '../../src/store/trunkline-store.js';
import { makeCdr, makeTrace } from './cdr-factory.js';

const [mode, path, first] = process.argv.slice(2);
if (path === undefined) throw new Error('usage: store-crash-writer.ts cdr|json <path> [first index]');

if (mode === 'cdr') {
  const store = TrunklineStore.open({ path });
  for (let i = Number(first ?? 0); ; i += 1) {
    store.recordCallEnd(makeCdr(i), makeTrace(i));
    // A synchronous write to the pipe: the parent hears of call i only after recordCallEnd returned.
    writeSync(1, `${i}\n`);
  }
} else if (mode === 'json') {
  for (let counter = 0; ; counter += 1) {
    atomicWriteJson(path, { counter, padding: 'x'.repeat(4096 + (counter % 97)) });
    writeSync(1, `${counter}\n`);
  }
} else {
  throw new Error(`unknown mode ${mode}`);
}
