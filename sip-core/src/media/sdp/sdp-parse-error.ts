import { TrunklineError } from '../../common/errors.js';
import { redactKeyParams } from './session-description.js';

/**
 * Malformed SDP. The message names the line number and quotes the line (crypto keys replaced), so that whoever reads
 * a 400/488 or a log can find the fault in the peer's body at once. `lineNumber` is 1-based; it is undefined for a
 * fault of the whole description (a required line that is missing).
 */
export class SdpParseError extends TrunklineError {
  readonly lineNumber: number | undefined;
  readonly line: string | undefined;
  readonly reason: string;

  constructor(reason: string, lineNumber?: number, line?: string) {
    const quoted = line === undefined ? undefined : redactKeyParams(line);
    super(
      'SDP_PARSE_ERROR',
      lineNumber === undefined
        ? `Malformed SDP: ${reason}`
        : `Malformed SDP at line ${lineNumber} "${quoted}": ${reason}`,
    );
    this.lineNumber = lineNumber;
    this.line = quoted;
    this.reason = reason;
  }
}

/** Thrown by a line rule; the parser adds the line number and the line. */
export class SdpLineError extends Error {}
