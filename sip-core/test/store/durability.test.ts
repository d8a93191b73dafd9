// Real crashes: a child process writes in a loop and reports each write once the call that made it durable has
// returned; the test kills it with SIGKILL mid-stream (by PID), reopens the files and checks that everything
// reported is there, intact.

import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterEach, describe, expect, it } from 'vitest';
import { readJsonFile } from '../../src/store/atomic-json-file.js';
import { callDetailRecordSchema } from '../../src/store/call-detail-record.js';
import { TrunklineStore } from '../../src/store/trunkline-store.js';
import { makeCdr, makeTrace } from '../support/cdr-factory.js';
import { PeerProcesses, type PeerProcess } from '../support/peer-process.js';
import { useTempDirs } from '../support/store-fixtures.js';

const WRITER = fileURLToPath(new URL('../support/store-crash-writer.ts', import.meta.url));

/** The numbers the child reported on complete lines (a line cut by the kill is not a report). */
function reported(child: PeerProcess): number[] {
  const text = child.output();
  const complete = text.slice(0, text.lastIndexOf('\n') + 1);
  return complete
    .split('\n')
    .filter((line) => /^\d+$/.test(line))
    .map(Number);
}

async function untilReported(child: PeerProcess, count: number): Promise<void> {
  const deadline = Date.now() + 30_000;
  while (reported(child).length < count) {
    if (Date.now() > deadline)
      throw new Error(`The writer reported too little: ${child.output().slice(-500)}`);
    await new Promise((resolve) => setTimeout(resolve, 5));
  }
}

async function crashAfter(processes: PeerProcesses, args: string[], reports: number): Promise<number[]> {
  const child = processes.start(process.execPath, ['--import', 'tsx', WRITER, ...args]);
  await untilReported(child, reports);
  process.kill(child.pid, 'SIGKILL');
  expect(await child.exited).toBeNull(); // killed by the signal, not exited on its own
  return reported(child);
}

describe('durability across kill -9', () => {
  const tempDir = useTempDirs();
  const processes = new PeerProcesses();
  afterEach(() => processes.stopAll());

  it('keeps every CDR and trace the writer reported as committed, across repeated crashes', async () => {
    const path = join(tempDir(), 'trunkline.sqlite3');
    const rounds = [150, 400, 777];
    let expectedTotal = 0;
    for (const [round, reports] of rounds.entries()) {
      const committed = await crashAfter(processes, ['cdr', path, String(round * 1_000_000)], reports);
      expect(committed.length).toBeGreaterThanOrEqual(reports);
      expectedTotal += committed.length;
      const store = TrunklineStore.open({ path });
      try {
        expect(store.integrityCheck()).toEqual([]);
        for (const i of committed) {
          expect(store.getCdr(makeCdr(i).call_uuid)).toEqual(callDetailRecordSchema.parse(makeCdr(i)));
        }
        for (const i of committed.filter((_, k) => k % 25 === 0)) {
          const stored = store
            .getSipTrace(makeCdr(i).call_uuid)
            .map((m) => Buffer.from(m.bytes).toString('hex'));
          expect(stored).toEqual(makeTrace(i).map((m) => Buffer.from(m.bytes).toString('hex')));
        }
        // At most the one call in flight when the signal came may be there unreported.
        const total = store.listCdrs().meta.total_count;
        expect(total - expectedTotal).toBeGreaterThanOrEqual(0);
        expect(total - expectedTotal).toBeLessThanOrEqual(round + 1);
      } finally {
        store.close();
      }
    }
  });

  it('keeps a settings file whole: the last reported write or a later one, never a torn file', async () => {
    const path = join(tempDir(), 'settings.json');
    for (const reports of [50, 120, 200]) {
      const written = await crashAfter(processes, ['json', path], reports);
      const last = written[written.length - 1];
      const read = readJsonFile(path, (json) => json as { counter: number; padding: string });
      expect(read?.source).toBe('file');
      expect(read!.value.counter).toBeGreaterThanOrEqual(last);
      expect(read!.value.counter).toBeLessThanOrEqual(last + 1);
      expect(read!.value.padding).toHaveLength(4096 + (read!.value.counter % 97));
    }
  });
});
