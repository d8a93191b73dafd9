// Reading what `trunkline call` prints when it runs as a child process: progress lines go to stderr and the result
// to stdout, and a child's two streams arrive captured together, so the result is the line that is a JSON object.

import type { CallResult } from '../../src/cli/call-result.js';

/** The path of the `trunkline` bin launcher, as a user runs it from a shell. */
export const TRUNKLINE_BIN = new URL('../../bin/trunkline.mjs', import.meta.url).pathname;

/** The result line of a run whose stdout and stderr were captured together (progress lines are not JSON). */
export function jsonLine(output: string): string {
  const line = output.split('\n').find((l) => l.startsWith('{'));
  if (line === undefined) throw new Error(`no JSON result in:\n${output}`);
  return line;
}

/** The `--json` result of one call in the combined output of a run. */
export function callResultOf(output: string): CallResult {
  return JSON.parse(jsonLine(output)) as CallResult;
}
