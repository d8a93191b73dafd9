import { TrunklineError } from '../../common/errors.js';

/** Stable codes of `WavError`, each naming what is wrong with the file. */
export type WavErrorCode =
  | 'WAV_NOT_RIFF'
  | 'WAV_NOT_WAVE'
  | 'WAV_TRUNCATED'
  | 'WAV_MISSING_FMT'
  | 'WAV_MISSING_DATA'
  | 'WAV_BAD_FORMAT'
  | 'WAV_UNSUPPORTED_FORMAT'
  | 'WAV_INVALID_OPTION'
  | 'WAV_IO';

/** A WAV file that cannot be read (or written as asked); the message says what is wrong and where. */
export class WavError extends TrunklineError {
  declare readonly code: WavErrorCode;

  constructor(code: WavErrorCode, message: string, options?: { cause?: unknown }) {
    super(code, message, options);
  }
}
