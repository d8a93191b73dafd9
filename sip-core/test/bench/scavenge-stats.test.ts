// The benchmark's reading of V8's `--trace-gc-nvp` lines (bench/emulator/scavenge-stats.ts).

import { describe, expect, it } from 'vitest';
import {
  formatScavengesPerCall,
  parseScavenge,
  scavengesPerCall,
} from '../../bench/emulator/scavenge-stats.js';

/** A scavenge line as V8 11 prints it, shortened to the fields read and a few around them. */
function scavengeLine(isolate: string, fields: Record<string, number>): string {
  const { pause, background, allocated, promoted, survived } = fields;
  return (
    `[31512:${isolate}]    45787 ms: pause=${pause} mutator=76.7 gc=s reduce_memory=0 scavenge=3.93 ` +
    `scavenge.parallel=2.48 background.scavenge.parallel=${background} background.unmapper=0.00 ` +
    `allocated=${allocated} promoted=${promoted} new_space_survived=${survived} nodes_died_in_new=1 ` +
    `promotion_ratio=5.0%`
  );
}

const MAIN = '0x387f7a40';
const WORKER = '0x7f0b44001000';

describe('scavenge stats', () => {
  it('reads a scavenge line; other lines (mark-compact, output) are not scavenges', () => {
    expect(
      parseScavenge(
        scavengeLine(MAIN, { pause: 4, background: 4.61, allocated: 100, promoted: 30, survived: 20 }),
      ),
    ).toEqual({
      isolate: MAIN,
      pauseMs: 4,
      backgroundMs: 4.61,
      allocatedBytes: 100,
      survivedBytes: 20,
      promotedBytes: 30,
    });
    expect(
      parseScavenge(`[31512:${MAIN}]      924 ms: pause=12.5 mutator=23.0 gc=mc reduce_memory=0 promoted=0`),
    ).toBeUndefined();
    expect(parseScavenge('{"type":"call","callUuid":"x"}')).toBeUndefined();
    // A line cut short (the process stopped mid-write) has no value for a field: not a scavenge.
    expect(parseScavenge(`[31512:${MAIN}]    45787 ms: pause=4.0 gc=s allocated=100`)).toBeUndefined();
  });

  it('sums the main isolate (the one with most scavenges) per call; the worker’s are left out', () => {
    const lines = [
      scavengeLine(MAIN, {
        pause: 5,
        background: 6,
        allocated: 10 * 1024,
        promoted: 2 * 1024,
        survived: 4096,
      }),
      scavengeLine(WORKER, { pause: 50, background: 50, allocated: 999, promoted: 999, survived: 999 }),
      '{"type":"call"}',
      scavengeLine(MAIN, { pause: 3, background: 2, allocated: 30 * 1024, promoted: 6 * 1024, survived: 0 }),
    ];
    const result = scavengesPerCall(lines, 4);
    expect(result).toEqual({
      scavenges: 2,
      allocatedKb: 10,
      survivedKb: 1,
      promotedKb: 2,
      pauseUs: 2000,
      backgroundUs: 2000,
    });
    expect(formatScavengesPerCall(result)).toBe(
      '2 scavenges; per call 10.0 KB allocated, 1.0 KB survived once, 2.0 KB promoted, ' +
        '2000.0 µs main-thread pause + 2000.0 µs on helpers',
    );
  });

  it('says why when the window holds no scavenge', () => {
    expect(scavengesPerCall(['{"type":"call"}'], 100)).toBe('no scavenge in the measured batch');
    expect(formatScavengesPerCall(scavengesPerCall([], 100))).toBe('no scavenge in the measured batch');
  });
});
