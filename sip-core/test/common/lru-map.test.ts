import { describe, expect, it } from 'vitest';
import { LruMap } from '../../src/common/lru-map.js';

describe('LruMap', () => {
  it('evicts the least recently used entry beyond its capacity, telling onEvict', () => {
    const evicted: [string, number][] = [];
    const map = new LruMap<string, number>(2, (key, value) => evicted.push([key, value]));
    map.set('a', 1);
    map.set('b', 2);
    expect(map.get('a')).toBe(1); // now b is the least recently used
    map.set('c', 3);
    expect(evicted).toEqual([['b', 2]]);
    expect(map.get('b')).toBeUndefined();
    expect([...map.entries()]).toEqual([
      ['c', 3],
      ['a', 1],
    ]);
  });

  it('does not call onEvict for a replaced value or for clear()', () => {
    const evicted: string[] = [];
    const map = new LruMap<string, number>(2, (key) => evicted.push(key));
    map.set('a', 1);
    map.set('a', 2);
    expect(map.get('a')).toBe(2);
    expect(map.size).toBe(1);
    map.set('b', 3);
    map.clear();
    expect(evicted).toEqual([]);
    expect(map.size).toBe(0);
  });

  it('gives the only value only when it holds exactly one', () => {
    const map = new LruMap<string, string>(4);
    expect(map.only()).toBeUndefined();
    map.set('realm', 'opaque');
    expect(map.only()).toBe('opaque');
    map.set('other', 'x');
    expect(map.only()).toBeUndefined();
  });

  it('keeps at least one entry whatever the capacity asked for', () => {
    const map = new LruMap<number, number>(0);
    map.set(1, 1);
    map.set(2, 2);
    expect(map.size).toBe(1);
    expect(map.get(2)).toBe(2);
  });

  it('stays bounded and keeps the most recent entries through a long stream of fresh keys', () => {
    const capacity = 1_000;
    let evictions = 0;
    const map = new LruMap<number, number>(capacity, () => evictions++);
    for (let i = 0; i < 50_000; i++) {
      map.set(i, i);
      if (i % 7 === 0) map.get(i - capacity + 1); // touches the oldest now and then
    }
    expect(map.size).toBe(capacity);
    expect(evictions).toBe(50_000 - capacity);
    expect(map.get(49_999)).toBe(49_999);
    expect(map.get(48_000)).toBeUndefined();
  });
});
