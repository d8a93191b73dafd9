// Child process of cell-map.test.ts (run with --expose-gc and the emulator's V8 flags, MEDIA_HOST_NODE_FLAGS): how
// much the young-generation collector promotes of values that passed through a long-lived Map whose table is old and
// was rebuilt while they were in it — with a plain Map and with a CellMap. Prints `{ "kind": …, "promotedKB": … }`.

import { getHeapSpaceStatistics } from 'node:v8';
import { CellMap } from '../../src/emulator/cell-map.js';

const gc = (globalThis as { gc?: (options?: { type: 'minor' | 'major' }) => void }).gc;
if (gc === undefined) throw new Error('run with --expose-gc');
const kind = process.argv[2];
if (kind !== 'map' && kind !== 'cell') throw new Error('usage: cell-map-gc-child.ts map|cell');

const map: { set(key: string, value: unknown): unknown; delete(key: string): boolean } =
  kind === 'cell' ? new CellMap<string, unknown>() : new Map<string, unknown>();

// The owner lives long: a full collection moves the map and its table to the old generation.
for (let i = 0; i < 8; i++) map.set(`seed${i}`, i);
gc({ type: 'major' });
gc({ type: 'major' });

const oldSpaceUsed = (): number =>
  getHeapSpaceStatistics().find((space) => space.space_name === 'old_space')!.space_used_size;

/** ~60 KB of young objects, as a call's graph is. */
function payload(): object[] {
  const objects: object[] = [];
  for (let i = 0; i < 2_000; i++) objects.push({ i });
  return objects;
}

// Ten "calls" enter; other entries come and go (the table is rebuilt with the calls in it); the calls leave.
for (let i = 0; i < 10; i++) map.set(`call${i}`, payload());
for (let i = 0; i < 200; i++) {
  map.set(`other${i}`, i);
  map.delete(`other${i}`);
}
for (let i = 0; i < 10; i++) map.delete(`call${i}`);

const before = oldSpaceUsed();
gc({ type: 'minor' });
gc({ type: 'minor' });
gc({ type: 'minor' });
console.log(JSON.stringify({ kind, promotedKB: Math.round((oldSpaceUsed() - before) / 1024) }));
