import { TrunklineError } from '../../common/errors.js';

/** A programming or configuration error around SRTP (wrong key length, a malformed packet handed to protect). */
export class SrtpError extends TrunklineError {}
