// List, filter and export latency at one million CDRs: each query of the call list (a page of 20 and the total
// count, as the UI and the Call API ask) timed as the median of several runs, beside a reference measured in the
// same run: a bare SELECT of the newest 20 rows by the end-time index.

import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { callDetailRecordSchema } from '../../src/store/call-detail-record.js';
import type { CdrQuery } from '../../src/store/cdr-filter.js';
import { CDR_INSERT_COLUMNS, CDR_INSERT_SQL, cdrToRow } from '../../src/store/cdr-row.js';
import { TrunklineStore } from '../../src/store/trunkline-store.js';
import { makeCdr } from '../../test/support/cdr-factory.js';

const BATCH_ROWS = 20_000;

function medianMs(runs: number, body: () => unknown): number {
  body();
  const times: number[] = [];
  for (let i = 0; i < runs; i += 1) {
    const start = performance.now();
    body();
    times.push(performance.now() - start);
  }
  times.sort((a, b) => a - b);
  return times[Math.floor(times.length / 2)] ?? 0;
}

/** Fills the file with `rows` CDRs through bare batched inserts (the bench measures reads, not this). */
function fill(path: string, rows: number): void {
  TrunklineStore.open({ path }).close();
  const db = new Database(path);
  db.pragma('journal_mode = WAL');
  db.pragma('synchronous = OFF');
  const insert = db.prepare(CDR_INSERT_SQL);
  // Twenty templates parsed once; each row varies the uuid and end time (which the indexes and order use).
  const templates = Array.from({ length: 20 }, (_, i) => cdrToRow(callDetailRecordSchema.parse(makeCdr(i))));
  const uuid = CDR_INSERT_COLUMNS.indexOf('call_uuid');
  const from = CDR_INSERT_COLUMNS.indexOf('from_number');
  const fromDigits = CDR_INSERT_COLUMNS.indexOf('from_digits');
  const to = CDR_INSERT_COLUMNS.indexOf('to_number');
  const toDigits = CDR_INSERT_COLUMNS.indexOf('to_digits');
  const endTime = CDR_INSERT_COLUMNS.indexOf('end_time');
  const endEpoch = CDR_INSERT_COLUMNS.indexOf('end_epoch_s');
  const billDuration = CDR_INSERT_COLUMNS.indexOf('bill_duration');
  const baseS = Date.UTC(2024, 0, 1) / 1000;
  const batch = db.transaction((start: number) => {
    for (let i = start; i < Math.min(rows, start + BATCH_ROWS); i += 1) {
      const row = [...templates[i % 20]];
      // 1 M calls over about 60 days (one every ~5 s), numbers spread over 100,000 callers and 50,000 callees.
      const endS = baseS + Math.floor(i * 5.2);
      row[uuid] = `call-${i}`;
      row[from] = `+1202${String((i * 7919) % 100_000).padStart(7, '0')}`;
      row[fromDigits] = row[from].slice(1);
      row[to] =
        `${['+1415', '+4420', '+9198', '+3314'][i % 4]}${String((i * 104_729) % 50_000).padStart(7, '0')}`;
      row[toDigits] = row[to].slice(1);
      row[endEpoch] = endS;
      // A tenth abandoned, the rest up to ten minutes.
      row[billDuration] = i % 10 === 0 ? 0 : (i * 7907) % 600;
      row[endTime] = new Date(endS * 1000).toISOString().slice(0, 19).replace('T', ' ');
      insert.run(row);
    }
  });
  for (let start = 0; start < rows; start += BATCH_ROWS) batch(start);
  db.pragma('wal_checkpoint(TRUNCATE)');
  db.close();
}

export function runStoreQueryBench(rows: number): void {
  const dir = mkdtempSync(join(tmpdir(), 'trunkline-bench-query-'));
  const path = join(dir, 'trunkline.sqlite3');
  try {
    const fillStart = performance.now();
    fill(path, rows);
    const fillS = (performance.now() - fillStart) / 1000;
    process.stdout.write(
      `\nList and filter latency at ${rows.toLocaleString('en-US')} CDRs (filled in ${fillS.toFixed(1)} s; median of 7 runs)\n`,
    );
    const openStart = performance.now();
    const store = TrunklineStore.open({ path });
    process.stdout.write(
      `  first open (migration check + planner statistics): ${(performance.now() - openStart).toFixed(0)} ms\n`,
    );
    const bare = new Database(path, { readonly: true });
    try {
      const referenceStatement = bare.prepare(
        'SELECT * FROM cdr ORDER BY end_epoch_s DESC, id DESC LIMIT 20',
      );
      const reference = medianMs(7, () => referenceStatement.all());
      const line = (name: string, ms: number): void => {
        process.stdout.write(
          `  ${name.padEnd(62)} ${ms.toFixed(3).padStart(10)} ms  ×${(ms / reference).toFixed(1)}\n`,
        );
      };
      line('reference: bare SELECT of the newest 20 rows', reference);
      const queries: [string, CdrQuery][] = [
        ['listCdrs(): newest 20 + total count', {}],
        ['offset 500,000', { offset: 500_000 }],
        ['from_number exact', { from_number: '+12020012345', number_match: 'exact' }],
        ['from_number prefix (100 callers)', { from_number: '1202000' }],
        ['to_number prefix by country (+44: a quarter)', { to_number: '44' }],
        ['call_direction=inbound (a third)', { call_direction: 'inbound' }],
        ['hangup_cause_code=5180 (a quarter)', { hangup_cause_code: 5180 }],
        ['hangup_source=zentrunk', { hangup_source: 'zentrunk' }],
        ['bill_duration__gt=30 (most)', { bill_duration__gt: 30 }],
        ['bill_duration__gte=599 (rare: 1 in 600)', { bill_duration__gte: 599 }],
        ['hangup_cause_code=9999 (no match)', { hangup_cause_code: 9999 }],
        [
          'end_time one day (__gte + __lt)',
          { end_time__gte: '2024-01-20 00:00', end_time__lt: '2024-01-21 00:00' },
        ],
        [
          'end_date range of a week + direction',
          { end_date_from: '2024-02-01', end_date_to: '2024-02-07', call_direction: 'outbound' },
        ],
        ['recorded_by=softphone', { recorded_by: 'softphone' }],
        ['number_search (substring, full scan)', { number_search: '4512' }],
      ];
      for (const [name, query] of queries)
        line(
          name,
          medianMs(7, () => store.listCdrs(query)),
        );
      line(
        'getCdr by call_uuid',
        medianMs(7, () => store.getCdr('call-777777')),
      );
      line(
        'first export page (500 rows, CSV)',
        medianMs(7, () => {
          const chunks = store.exportCsv();
          chunks.next();
          return chunks.next();
        }),
      );
      line(
        'billingSummary of a month',
        medianMs(3, () => store.billingSummary({ month: '2024-01' })),
      );
      const exportStart = performance.now();
      let bytes = 0;
      for (const chunk of store.exportCsv()) bytes += chunk.length;
      const exportS = (performance.now() - exportStart) / 1000;
      process.stdout.write(
        `  full CSV export: ${(bytes / 1e6).toFixed(0)} MB in ${exportS.toFixed(1)} s (${Math.round(rows / exportS).toLocaleString('en-US')} rows/s)\n`,
      );
    } finally {
      bare.close();
      store.close();
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
