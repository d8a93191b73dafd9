import { TrunklineError } from '../../common/errors.js';

/** Stable codes of `CodecError`. */
export type CodecErrorCode =
  'CODEC_OUTPUT_TOO_SMALL' | 'CODEC_INVALID_RANGE' | 'CODEC_UNKNOWN' | 'CODEC_DUPLICATE';

/** A codec was misused: an output buffer too small, a range outside its input, an unknown or doubly registered codec. */
export class CodecError extends TrunklineError {
  declare readonly code: CodecErrorCode;

  constructor(code: CodecErrorCode, message: string) {
    super(code, message);
  }
}

/** Throws when a caller-provided output buffer cannot hold `needed` elements. */
export function assertOutputFits(what: string, available: number, needed: number): void {
  if (available < needed) {
    throw new CodecError(
      'CODEC_OUTPUT_TOO_SMALL',
      `The output buffer for ${what} holds ${available} elements but ${needed} are needed; pass a larger buffer or none.`,
    );
  }
}
