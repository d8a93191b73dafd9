// Observed against expected: a pure comparison of what the trunk answered a probe with what BEHAVIOUR.md says it
// must answer, giving the mismatches in words and the measurements the report shows side by side.

import type { MeasuredValue } from '../runner/check-definition.js';
import type { ExpectedHeader, ProbeExpectation } from './probe-expectations.js';

/** The parts of a SIP response a probe looks at (plain data, so the comparison is testable without a stack). */
export interface ObservedResponse {
  readonly status: number;
  readonly reasonPhrase: string;
  /** `X-ZT-Hangup-Code`, when the response carried a four-digit one. */
  readonly hangupCode?: number;
  /** Header values by lower-case name; several fields of one name joined with `,`. */
  readonly headers: ReadonlyMap<string, string>;
}

export interface Comparison {
  readonly matches: boolean;
  /** One clause per difference, e.g. "status 200 OK instead of 403". */
  readonly mismatches: readonly string[];
  readonly measurements: readonly MeasuredValue[];
}

export function compareResponse(expected: ProbeExpectation, observed: ObservedResponse): Comparison {
  const mismatches: string[] = [];
  if (observed.status !== expected.status) {
    mismatches.push(`status ${observed.status} ${observed.reasonPhrase} instead of ${expected.status}`);
  }
  if (expected.hangupCode !== undefined && observed.hangupCode !== expected.hangupCode) {
    mismatches.push(
      observed.hangupCode === undefined
        ? `no X-ZT-Hangup-Code instead of ${expected.hangupCode}`
        : `hangup code ${observed.hangupCode} instead of ${expected.hangupCode}`,
    );
  }
  for (const header of expected.headers) {
    const value = observed.headers.get(header.name.toLowerCase());
    if (value === undefined) mismatches.push(`no ${header.name} header (expected “${header.value}”)`);
    else if (!headerMatches(header, value)) {
      mismatches.push(`${header.name}: ${value} instead of “${header.value}”`);
    }
  }
  const measurements: MeasuredValue[] = [
    { name: 'expectedStatus', value: expected.status },
    { name: 'observedStatus', value: observed.status },
  ];
  if (expected.hangupCode !== undefined)
    measurements.push({ name: 'expectedHangupCode', value: expected.hangupCode });
  if (observed.hangupCode !== undefined)
    measurements.push({ name: 'observedHangupCode', value: observed.hangupCode });
  for (const header of expected.headers) {
    const value = observed.headers.get(header.name.toLowerCase());
    if (value !== undefined) measurements.push({ name: `observed${header.name}`, value });
  }
  return { matches: mismatches.length === 0, mismatches, measurements };
}

function headerMatches(expected: ExpectedHeader, value: string): boolean {
  if (expected.compare === 'exact') return value.trim() === expected.value;
  const tokens = (text: string): string[] =>
    text
      .split(',')
      .map((token) => token.trim().toUpperCase())
      .filter((token) => token.length > 0)
      .sort();
  return tokens(value).join(',') === tokens(expected.value).join(',');
}
