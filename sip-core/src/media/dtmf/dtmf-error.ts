import { TrunklineError } from '../../common/errors.js';

/** Stable codes of `DtmfError`. */
export type DtmfErrorCode =
  'DTMF_PAYLOAD_TOO_SHORT' | 'DTMF_INVALID_FIELD' | 'DTMF_INVALID_DIGIT' | 'DTMF_INVALID_OPTION';

/** A telephone-event payload could not be read or written, or a DTMF request was invalid. */
export class DtmfError extends TrunklineError {
  declare readonly code: DtmfErrorCode;

  constructor(code: DtmfErrorCode, message: string) {
    super(code, message);
  }
}
