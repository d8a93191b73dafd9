// Exports of the call list as CSV and JSON. Both are generators over pages of records, so a million rows
// flow to a file or an HTTP response a page at a time (`Readable.from(generator)`), never as one array.

import { CDR_FIELDS, type CallDetailRecord } from './call-detail-record.js';
import { csvRecord, type CsvOptions } from './csv.js';

export interface CsvExportOptions extends CsvOptions {
  /** Start with a UTF-8 byte order mark, which Excel needs to read UTF-8 (default false). */
  readonly byteOrderMark?: boolean;
}

export type JsonExportFormat = 'array' | 'ndjson';

/** The text of one cell: empty for null, `true`/`false`, JSON for the JSON columns. */
export function cdrCellText(value: CallDetailRecord[keyof CallDetailRecord]): string {
  if (value === null) return '';
  if (typeof value === 'object') return JSON.stringify(value);
  return String(value);
}

/** CSV chunks: the header (the columns in `CDR_FIELDS` order), then one chunk per page. */
export function* cdrsToCsv(
  pages: Iterable<readonly CallDetailRecord[]>,
  options: CsvExportOptions = {},
): Generator<string> {
  yield (options.byteOrderMark ? '\uFEFF' : '') + csvRecord(CDR_FIELDS, { escapeFormulas: false });
  for (const page of pages) {
    let chunk = '';
    for (const cdr of page)
      chunk += csvRecord(
        CDR_FIELDS.map((field) => cdrCellText(cdr[field])),
        options,
      );
    yield chunk;
  }
}

/** JSON chunks: one array (`array`) or one object per line (`ndjson`), keys in `CDR_FIELDS` order. */
export function* cdrsToJson(
  pages: Iterable<readonly CallDetailRecord[]>,
  format: JsonExportFormat = 'array',
): Generator<string> {
  if (format === 'ndjson') {
    for (const page of pages) yield page.map((cdr) => `${JSON.stringify(cdr)}\n`).join('');
    return;
  }
  let first = true;
  yield '[';
  for (const page of pages) {
    if (page.length === 0) continue;
    yield (first ? '\n' : ',\n') + page.map((cdr) => JSON.stringify(cdr)).join(',\n');
    first = false;
  }
  yield first ? ']\n' : '\n]\n';
}
