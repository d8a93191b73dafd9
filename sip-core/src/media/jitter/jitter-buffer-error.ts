import { TrunklineError } from '../../common/errors.js';

/** The jitter buffer was configured with impossible options. */
export class JitterBufferError extends TrunklineError {
  declare readonly code: 'JITTER_BUFFER_INVALID_OPTION';

  constructor(message: string) {
    super('JITTER_BUFFER_INVALID_OPTION', message);
  }
}
