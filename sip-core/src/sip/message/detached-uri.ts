// A URI kept for long (a dialog's local, remote and target URIs) re-parsed from its own text, so that its strings
// do not pin the text of the message it was parsed from (see common/detached-string.ts).

import { detachString } from '../../common/detached-string.js';
import { parseUri, type Uri } from './uri.js';

/** An equal URI whose strings own their characters; the URI itself when it cannot be re-parsed. */
export function detachedUri(uri: Uri): Uri {
  try {
    return parseUri(detachString(uri.format()));
  } catch {
    return uri;
  }
}
