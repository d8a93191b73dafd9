import { readFileSync } from 'node:fs';

/** An SDP body from test/fixtures/sdp, with CRLF line ends as on the wire. */
export function sdpFixture(name: string): string {
  const text = readFileSync(new URL(`../fixtures/sdp/${name}`, import.meta.url), 'utf8');
  return text.replace(/\r?\n/g, '\r\n');
}

/** SDP text from lines, CRLF-terminated. */
export function sdp(...lines: string[]): string {
  return lines.map((l) => `${l}\r\n`).join('');
}
