// A failure a command handler raises on purpose, with the contract's code: `PhoneService.handle` answers its
// `apiError` as it is. Its own file so that the handlers that live beside PhoneService (the checks service) raise
// the same thing without importing the service.

import type { ApiError } from '../common/index.js';

export class CommandError extends Error {
  constructor(readonly apiError: ApiError) {
    super(apiError.message);
  }
}

/** The shell gave no way to hand a file to the user (an export command in a host without `exports`). */
export function noExportDelivery(): CommandError {
  return new CommandError({
    code: 'unavailable',
    message: 'This window cannot save files.',
    missing: 'an export delivery in this shell',
  });
}
