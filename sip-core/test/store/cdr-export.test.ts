import { describe, expect, it } from 'vitest';
import { CDR_FIELDS, type CallDetailRecord } from '../../src/store/call-detail-record.js';
import { cdrCellText } from '../../src/store/cdr-export.js';
import { EXPORT_PAGE_ROWS } from '../../src/store/trunkline-store.js';
import { makeCdr } from '../support/cdr-factory.js';
import { useStores } from '../support/store-fixtures.js';
import { parseCsv } from '../support/csv-reader.js';

describe('exporting CDRs', () => {
  const openStore = useStores();

  it('writes CSV with the documented column order and one row per call, newest first', () => {
    const store = openStore();
    for (let i = 0; i < 3; i += 1) store.recordCallEnd(makeCdr(i));
    const text = [...store.exportCsv()].join('');
    const [header, ...rows] = parseCsv(text);
    expect(header).toEqual(CDR_FIELDS);
    expect(rows.map((r) => r[0])).toEqual(['call-00000002', 'call-00000001', 'call-00000000']);
    const cdr = store.getCdr('call-00000002')!;
    expect(rows[0]).toEqual(CDR_FIELDS.map((f) => cdrCellText(cdr[f])));
    expect(rows[0][CDR_FIELDS.indexOf('srtp')]).toBe('false');
    expect(rows[0][CDR_FIELDS.indexOf('answer_time')]).toBe(cdr.answer_time);
    expect(JSON.parse(rows[0][CDR_FIELDS.indexOf('rtp_stats')])).toEqual(cdr.rtp_stats);
  });

  it('quotes hostile caller-controlled text and escapes formulas, keeping UTF-8', () => {
    const store = openStore();
    store.recordCallEnd(
      makeCdr(1, {
        from_number: '=cmd|"/c calc"!A1',
        sip_reason: 'Busy, "really"\r\nbusy',
        extras: { name: 'Zoë ☎ 電話' },
      }),
    );
    const text = [...store.exportCsv({}, { byteOrderMark: true })].join('');
    expect(text.startsWith('\uFEFFcall_uuid,')).toBe(true);
    const [, row] = parseCsv(text.slice(1));
    expect(row[CDR_FIELDS.indexOf('from_number')]).toBe(`'=cmd|"/c calc"!A1`);
    expect(row[CDR_FIELDS.indexOf('to_number')]).toBe(makeCdr(1).to_number);
    expect(row[CDR_FIELDS.indexOf('sip_reason')]).toBe('Busy, "really"\r\nbusy');
    expect(row[CDR_FIELDS.indexOf('extras')]).toContain('Zoë ☎ 電話');
  });

  it('exports the filtered calls only', () => {
    const store = openStore();
    for (let i = 0; i < 30; i += 1) store.recordCallEnd(makeCdr(i));
    const rows = parseCsv([...store.exportCsv({ call_direction: 'inbound' })].join('')).slice(1);
    expect(rows).toHaveLength(10);
    expect(rows.every((r) => r[CDR_FIELDS.indexOf('call_direction')] === 'inbound')).toBe(true);
  });

  it('writes a JSON array and NDJSON that parse back to the stored records', () => {
    const store = openStore();
    const stored = [0, 1, 2].map((i) => store.recordCallEnd(makeCdr(i))).reverse();
    expect(JSON.parse([...store.exportJson()].join(''))).toEqual(stored);
    const ndjson = [...store.exportJson({}, 'ndjson')].join('');
    expect(
      ndjson
        .trimEnd()
        .split('\n')
        .map((line) => JSON.parse(line) as CallDetailRecord),
    ).toEqual(stored);
    expect(Object.keys(JSON.parse(ndjson.split('\n')[0]) as object)).toEqual(CDR_FIELDS);
    expect(
      JSON.parse([...store.exportJson({ call_direction: 'inbound', hangup_cause_code: 1 })].join('')),
    ).toEqual([]);
    expect([...store.exportJson({ hangup_cause_code: 1 }, 'ndjson')].join('')).toBe('');
  });

  it('streams 100,000 rows a page at a time, reading each page only when it is asked for', () => {
    const store = openStore();
    const total = 100_000;
    store.recordCallEnd(makeCdr(total + 1)); // warm the statements before the bulk insert
    const bulk = (from: number, to: number): void => {
      for (let i = from; i < to; i += 1) store.recordCallEnd(makeCdr(i));
    };
    bulk(0, total);
    const chunks = store.exportCsv();
    let rows = 0;
    let chunkCount = 0;
    let largestChunkRows = 0;
    let lateCallSeen = false;
    for (const chunk of chunks) {
      chunkCount += 1;
      const lines = chunk.split('\r\n').length - 1;
      if (chunkCount > 1) {
        rows += lines;
        largestChunkRows = Math.max(largestChunkRows, lines);
        if (chunk.includes('late-call')) lateCallSeen = true;
      }
      // After the first page, record a call that sorts last (it ended before every other). Were the rows read
      // up front, it would be missing; read page by page, the connection is free and the call shows up.
      if (chunkCount === 2)
        store.recordCallEnd(
          makeCdr(0, {
            call_uuid: 'late-call',
            initiation_time: '2024-01-14 23:00:00',
            answer_time: null,
            end_time: '2024-01-14 23:59:00',
          }),
        );
    }
    expect(rows).toBe(total + 2);
    expect(largestChunkRows).toBe(EXPORT_PAGE_ROWS);
    expect(chunkCount).toBe(1 + Math.ceil((total + 2) / EXPORT_PAGE_ROWS));
    expect(lateCallSeen).toBe(true);
    // 100,000 committed CDRs take several seconds on a loaded machine; the test is about paging, not speed.
  }, 120_000);
});
