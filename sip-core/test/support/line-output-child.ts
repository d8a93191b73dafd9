// A process whose stdout is an FdLineOutput, for test/cli/line-output.test.ts (the real pipe and its real 64 KB
// buffer, which only a second process can stop reading):
//
//   node --import tsx line-output-child.ts <lines> <max queued chars> <close timeout ms>
//
// It queues <lines> lines of 1,000 characters in one turn, then writes "tick" to stderr every 10 ms (its event
// loop is alive) until SIGTERM, when it closes the output and writes "closed <dropped>" to stderr.

import { FdLineOutput } from '../../src/cli/line-output.js';

const [lines, maxQueuedChars, closeTimeoutMs] = process.argv.slice(2).map(Number);
const output = new FdLineOutput(1, { maxQueuedChars, droppedNotice: (count) => `DROPPED ${count}` });
for (let i = 0; i < lines; i++) output.line(`line ${i} `.padEnd(1_000, '.'));
const ticking = setInterval(() => process.stderr.write('tick\n'), 10);
process.once('SIGTERM', () => {
  clearInterval(ticking);
  void output.close(closeTimeoutMs).then((dropped) => process.stderr.write(`closed ${dropped}\n`));
});
process.stderr.write('ready\n');
