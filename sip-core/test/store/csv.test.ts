import { describe, expect, it } from 'vitest';
import { csvField, csvRecord } from '../../src/store/csv.js';
import { parseCsv } from '../support/csv-reader.js';

describe('CSV fields (RFC 4180)', () => {
  const cases: [string, string, string][] = [
    ['plain text', 'normal_hangup', 'normal_hangup'],
    ['an empty field', '', ''],
    ['a comma', 'Busy, call later', '"Busy, call later"'],
    ['quotes', 'say "hi"', '"say ""hi"""'],
    ['a newline', 'line1\nline2', '"line1\nline2"'],
    ['CRLF', 'a\r\nb', '"a\r\nb"'],
    ['UTF-8 text', 'Zoë ☎ 電話 🎧', 'Zoë ☎ 電話 🎧'],
    ['JSON', '{"sent":{"packets":50}}', '"{""sent"":{""packets"":50}}"'],
    ['an E.164 number (a plain number)', '+12025551234', '+12025551234'],
    ['a negative number', '-5', '-5'],
    ['a decimal', '0.01500', '0.01500'],
    ['a formula', '=HYPERLINK("http://x","y")', `"'=HYPERLINK(""http://x"",""y"")"`],
    ['a + formula', '+1+cmd|x', "'+1+cmd|x"],
    ['a - formula', '-2+3', "'-2+3"],
    ['an @ formula', '@SUM(A1)', "'@SUM(A1)"],
    ['a leading tab', '\t=1', "'\t=1"],
    ['a leading CR', '\r=1', `"'\r=1"`],
    ['a + number with spaces', '+1 202 555', "'+1 202 555"],
    ['an equals sign later in the text', 'a=b', 'a=b'],
  ];

  it.each(cases)('writes %s', (_, value, written) => {
    expect(csvField(value)).toBe(written);
  });

  it('leaves formulas alone when escaping is off', () => {
    expect(csvField('=1+2', { escapeFormulas: false })).toBe('=1+2');
  });

  it('writes records with CRLF that read back as the same fields (escaped cells keep their text after the mark)', () => {
    const values = cases.map(([, value]) => value);
    const text = csvRecord(values) + csvRecord(['second', 'row']);
    const [first, second] = parseCsv(text);
    expect(first).toHaveLength(values.length);
    first.forEach((read, i) => {
      const value = values[i];
      expect(read === value || read === `'${value}`).toBe(true);
    });
    expect(second).toEqual(['second', 'row']);
    expect(text.endsWith('\r\n')).toBe(true);
  });
});
