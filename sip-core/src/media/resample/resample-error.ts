import { TrunklineError } from '../../common/errors.js';

/** A resampler was configured or used wrongly. */
export class ResampleError extends TrunklineError {
  declare readonly code: 'RESAMPLE_INVALID';

  constructor(message: string) {
    super('RESAMPLE_INVALID', message);
  }
}
