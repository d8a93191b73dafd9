// CellMap: a Map's behaviour (order, update in place, delete during iteration), and what it is for — values that
// left it are not kept by its abandoned old tables from the young-generation collector (docs/adr/0174).

import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { MEDIA_HOST_NODE_FLAGS } from '../../bin/node-flags.mjs';
import { CellMap } from '../../src/emulator/cell-map.js';

const CHILD = fileURLToPath(new URL('../support/cell-map-gc-child.ts', import.meta.url));

describe('CellMap', () => {
  it('gets, sets, deletes and counts like a Map', () => {
    const map = new CellMap<string, number>();
    expect(map.size).toBe(0);
    expect(map.get('a')).toBeUndefined();
    expect(map.has('a')).toBe(false);
    expect(map.delete('a')).toBe(false);
    expect(map.set('a', 1).set('b', 2)).toBe(map);
    expect([map.get('a'), map.get('b'), map.size]).toEqual([1, 2, 2]);
    expect(map.delete('a')).toBe(true);
    expect(map.delete('a')).toBe(false);
    expect([map.has('a'), map.get('a'), map.has('b'), map.size]).toEqual([false, undefined, true, 1]);
    map.clear();
    expect([map.size, map.get('b')]).toEqual([0, undefined]);
  });

  it('iterates in insertion order; an update keeps the place, a delete and set moves to the end', () => {
    const map = new CellMap<string, number>();
    map.set('a', 1).set('b', 2).set('c', 3);
    map.set('a', 10);
    expect([...map]).toEqual([
      ['a', 10],
      ['b', 2],
      ['c', 3],
    ]);
    map.delete('a');
    map.set('a', 11);
    expect([...map.entries()]).toEqual([
      ['b', 2],
      ['c', 3],
      ['a', 11],
    ]);
    expect([...map.values()]).toEqual([2, 3, 11]);
  });

  it('does not visit an entry deleted during an iteration, and visits one added', () => {
    const map = new CellMap<string, number>();
    map.set('a', 1).set('b', 2).set('c', 3);
    const seen: string[] = [];
    for (const [key] of map) {
      seen.push(key);
      if (key === 'a') {
        map.delete('b');
        map.set('d', 4);
      }
    }
    expect(seen).toEqual(['a', 'c', 'd']);
  });

  it('keeps a value that left it from being promoted through an abandoned old table, where a Map does not', () => {
    const promoted = (kind: 'map' | 'cell'): number => {
      const run = spawnSync(
        process.execPath,
        // The emulator's own V8 flags (a full-size young generation, no allocation-site pretenuring).
        ['--expose-gc', ...MEDIA_HOST_NODE_FLAGS, '--import', 'tsx', CHILD, kind],
        { encoding: 'utf8', timeout: 60_000 },
      );
      expect(run.status, run.stderr).toBe(0);
      return (JSON.parse(run.stdout.trim()) as { promotedKB: number }).promotedKB;
    };
    // Ten values of ~60 KB each left both maps before three scavenges. The plain Map's old tables keep all of them
    // (this V8's behaviour, which is why CellMap exists; should a later V8 stop doing it, this says so).
    expect(promoted('map')).toBeGreaterThan(500);
    expect(promoted('cell')).toBeLessThan(200);
  });
});
