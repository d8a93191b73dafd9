import { TrunklineError } from '../../common/errors.js';

/** Stable codes of `MediaSessionError`. */
export type MediaSessionErrorCode =
  | 'MEDIA_PORTS_EXHAUSTED'
  | 'MEDIA_INVALID_OPTION'
  | 'MEDIA_NOT_STARTED'
  | 'MEDIA_CLOSED'
  | 'MEDIA_DTMF_NOT_NEGOTIATED'
  | 'MEDIA_CODEC_UNSUPPORTED';

/** A media session was misused or could not get what it needs (ports, a codec). */
export class MediaSessionError extends TrunklineError {
  declare readonly code: MediaSessionErrorCode;

  constructor(code: MediaSessionErrorCode, message: string, options?: { cause?: unknown }) {
    super(code, message, options);
  }
}
