// SIPp's `-trace_stat` times, read as the benchmark reads them (sip-core/bench/emulator/sipp-load.ts).

import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { readSippLastRow, sippTimeMs } from './sipp-stats.js';

describe('sippTimeMs', () => {
  it('reads HH:MM:SS:microseconds as milliseconds', () => {
    expect(sippTimeMs('00:00:00:154000')).toBe(154);
    expect(sippTimeMs('00:00:00:006500')).toBe(6.5);
    expect(sippTimeMs('01:02:03:000001')).toBeCloseTo(3_723_000.001, 6);
  });

  it('is NaN for a cell of another shape, or none', () => {
    for (const cell of [undefined, '', '154000', '00:00:00:154', '00:00:00:1540000', 'x0:00:00:154000']) {
      expect(sippTimeMs(cell)).toBeNaN();
    }
  });

  describe('on a stat file', () => {
    let dir: string | undefined;
    afterEach(() => {
      if (dir !== undefined) rmSync(dir, { recursive: true, force: true });
    });

    it('takes the cumulative column of the last row', () => {
      dir = mkdtempSync(join(tmpdir(), 'sipp-stats-'));
      const csv = join(dir, 'stat.csv');
      const header = 'ResponseTime1(P);ResponseTime1(C);CallLength(P);CallLength(C);';
      writeFileSync(
        csv,
        `${header}\n00:00:00:001000;00:00:00:002000;00:00:00:010000;00:00:00:020000;\n` +
          `00:00:00:300000;00:00:00:016000;00:00:00:400000;00:00:00:054000;\n`,
      );
      const row = readSippLastRow(csv);
      expect(sippTimeMs(row.get('ResponseTime1(C)'))).toBe(16);
      expect(sippTimeMs(row.get('CallLength(C)'))).toBe(54);
    });
  });
});
