// A parsed request as the policy's `CallAttempt` (policy/README.md, "Filling in a CallAttempt"): what the engine
// needs, read once, with `null` for what the request does not carry. Headers the parser validates lazily (PAI,
// Session-Expires, option tags) may throw on a damaged request: that makes the attempt `malformed` (400 + 4000)
// instead of an exception in the stack's receive path.

import { describeError } from '../../common/errors.js';
import type { AuthenticationState, CallAttempt, SdpOfferSummary } from '../../policy/index.js';
import type { SipRequest, Uri } from '../../sip/message/index.js';
import type { ReceivedMessageContext } from '../../sip/transport/index.js';
import { offeredSdpOf } from './offered-sdp.js';
import { summarizeSdpOffer } from './sdp-offer-summary.js';

export interface CallAttemptInputs {
  readonly request: SipRequest;
  readonly context: ReceivedMessageContext;
  /** The host the trunk is looked up by (the Request-URI host, or the trunk an IP literal maps to). */
  readonly trunkHost: string;
  readonly auth: AuthenticationState;
  /** Our own address in a Via below the top one: the request has been through the emulator already. */
  readonly loopDetected: boolean;
  /** A problem found before (unreadable credentials); the attempt is then malformed. */
  readonly malformed?: string;
}

/** The user part of a URI: a SIP user, a tel: number, or null. */
export function userOf(uri: Uri | undefined): string | null {
  if (uri === undefined) return null;
  if (uri.kind === 'sip') return uri.user ?? null;
  if (uri.kind === 'tel') return uri.number;
  return null;
}

export function callAttemptOf(inputs: CallAttemptInputs): CallAttempt {
  const { request, context } = inputs;
  const fields = new FieldReader(inputs.malformed);
  const uri = request.requestUri;
  const sdp = fields.read<SdpOfferSummary | null>('SDP offer', null, () => offerOf(request));
  const sessionExpires = fields.read('Session-Expires', null, () => {
    const value = request.headers.get('session-expires');
    if (value === undefined) return null;
    const seconds = Number.parseInt(value, 10);
    if (!Number.isFinite(seconds)) throw new Error('not a number of seconds');
    return seconds;
  });
  const attempt: CallAttempt = {
    method: request.method.toUpperCase(),
    transport: context.transport,
    source: { ip: context.remote.address, port: context.remote.port },
    requestUri: { scheme: uri.scheme, user: userOf(uri), host: inputs.trunkHost },
    fromUser: fields.read('From', null, () => userOf(request.from?.uri)),
    paiUser: fields.read('P-Asserted-Identity', null, () =>
      userOf(request.address('p-asserted-identity')?.uri),
    ),
    require: fields.read('Require', [], () => request.require),
    supported: fields.read('Supported', [], () => request.supported),
    maxForwards: request.maxForwards ?? null,
    loopDetected: inputs.loopDetected,
    sdp,
    auth: inputs.auth,
    sessionExpiresS: sessionExpires,
    malformed: fields.malformed === undefined ? null : { reason: fields.malformed, packet: false },
  };
  return attempt;
}

/**
 * Reads header fields of a request, each with a fallback when it does not parse; the first failure is what makes
 * the attempt malformed. A class, not a closure per request: under tsx (esbuild's keepNames) each named closure
 * redefines its `name` when it is made.
 */
class FieldReader {
  malformed: string | undefined;

  constructor(malformed: string | undefined) {
    this.malformed = malformed;
  }

  read<T>(what: string, fallback: T, get: () => T): T {
    try {
      return get();
    } catch (error) {
      this.malformed ??= `${what}: ${describeError(error)}`;
      return fallback;
    }
  }
}

/** The offer of a request, or null when it has none (a late offer). */
function offerOf(request: SipRequest): SdpOfferSummary | null {
  if (request.body.length === 0) return null;
  const type = request.contentType?.essence;
  if (type !== undefined && type !== 'application/sdp') return null;
  return summarizeSdpOffer(offeredSdpOf(request));
}
