// CSV as RFC 4180 writes it (https://www.rfc-editor.org/rfc/rfc4180#section-2): fields separated by commas,
// records ended by CRLF, a field quoted when it holds a comma, a quote, CR or LF, and quotes inside doubled.
//
// A CSV of CDRs is opened in spreadsheets, and some of its text comes from callers (the From user part is
// whatever the far end sent). A cell starting with `=`, `+`, `-`, `@`, TAB or CR is a formula to Excel,
// LibreOffice and Google Sheets (OWASP "CSV Injection"), so such a cell is prefixed with `'`, which the
// spreadsheet shows as text. Plain numbers (`+12025551234`, `-5`) are left alone: they cannot run anything and
// are the most common values of the number columns (docs/adr/0072-csv-formula-injection.md).

const NEEDS_QUOTES = /[",\r\n]/;
const FORMULA_START = /^[=+\-@\t\r]/;
const PLAIN_NUMBER = /^[+-]?\d+(?:\.\d+)?$/;

export interface CsvOptions {
  /** Prefix formula-like cells with `'` (default true). Turn off for machine consumers. */
  readonly escapeFormulas?: boolean;
}

/** One field, quoted and escaped as needed. */
export function csvField(value: string, options: CsvOptions = {}): string {
  let text = value;
  if ((options.escapeFormulas ?? true) && FORMULA_START.test(text) && !PLAIN_NUMBER.test(text))
    text = `'${text}`;
  return NEEDS_QUOTES.test(text) ? `"${text.replaceAll('"', '""')}"` : text;
}

/** One record, with its CRLF. */
export function csvRecord(values: readonly string[], options: CsvOptions = {}): string {
  return `${values.map((v) => csvField(v, options)).join(',')}\r\n`;
}
