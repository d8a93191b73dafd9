// Requests that parse but must be refused (RFC 3261 §8.2 for a UAS, §16.3 for a proxy, §10.3 for a registrar;
// RFC 4475 §3.3 "valid but unacceptable"). The check is a table of rules run in the order RFC 3261 processes
// a request; the first that refuses decides the response. It reads the message only, so the emulator, the
// softphone and the tests get the same answer for the same request.

import { SINGLE_VALUE_HEADERS, canonicalHeaderName } from './header-names.js';
import { createRejection, type SipRejection } from './sip-rejection.js';
import { SIP_VERSION, type SipRequest } from './sip-request.js';
import { SipParseError } from './sip-parse-error.js';

/** Which RFC 3261 role is deciding: a UAS (§8.2), a registrar (§10.3) or a proxy (§16.3). */
export type SipRole = 'uas' | 'registrar' | 'proxy';

export interface AcceptabilityPolicy {
  readonly role: SipRole;
  /** Methods this element serves. Default: INVITE, ACK, CANCEL, BYE, OPTIONS (plus REGISTER for a registrar). */
  readonly allowedMethods?: readonly string[];
  /** Request-URI schemes this element serves (§8.2.2.1, §16.3 step 2). Default: sip, sips, tel. */
  readonly uriSchemes?: readonly string[];
  /** Option tags this element supports (§8.2.2.3, §16.3 step 5). Default: none. */
  readonly supportedOptionTags?: readonly string[];
  /** Body types this element understands (§8.2.3). Default: application/sdp. */
  readonly acceptedContentTypes?: readonly string[];
  /** The body type this element answers an INVITE with (RFC 3261 §20.1, 406). Default: application/sdp. */
  readonly answerContentType?: string;
}

/** Methods defined by RFC 3261 and its extensions: refused with 405 when not allowed here, others with 501. */
export const KNOWN_METHODS: readonly string[] = Object.freeze([
  'INVITE',
  'ACK',
  'CANCEL',
  'BYE',
  'OPTIONS',
  'REGISTER',
  'PRACK',
  'SUBSCRIBE',
  'NOTIFY',
  'PUBLISH',
  'INFO',
  'REFER',
  'MESSAGE',
  'UPDATE',
]);

const DEFAULT_METHODS = ['INVITE', 'ACK', 'CANCEL', 'BYE', 'OPTIONS'];
const MANDATORY_HEADERS = ['via', 'from', 'to', 'call-id', 'cseq'];

/** What a rule sees: the request, the policy, and the methods the policy allows (defaults applied). */
export interface AcceptabilityContext {
  readonly request: SipRequest;
  readonly policy: AcceptabilityPolicy;
  readonly methods: readonly string[];
}

/** One check: returns the rejection, or undefined to let the request through to the next rule. */
export interface AcceptabilityRule {
  readonly id: string;
  readonly roles: readonly SipRole[];
  /** The RFC section the rule implements. */
  readonly rfc: string;
  check(context: AcceptabilityContext): SipRejection | undefined;
}

const ALL_ROLES: readonly SipRole[] = ['uas', 'registrar', 'proxy'];
const ENDPOINT_ROLES: readonly SipRole[] = ['uas', 'registrar'];

/** The rules in the order they run. */
export const ACCEPTABILITY_RULES: readonly AcceptabilityRule[] = Object.freeze([
  {
    id: 'sip-version',
    roles: ALL_ROLES,
    rfc: 'RFC 3261 §8.2, §21.5.20',
    check: ({ request }) =>
      request.version === SIP_VERSION
        ? undefined
        : createRejection('sip-version', 505, 'SIP version not supported'),
  },
  {
    id: 'mandatory-headers',
    roles: ALL_ROLES,
    rfc: 'RFC 3261 §8.1.1, RFC 4475 §3.3.1',
    check: ({ request }) => {
      for (const key of MANDATORY_HEADERS) {
        if (request.headers.first(key) === undefined) {
          return createRejection('mandatory-headers', 400, `missing ${canonicalHeaderName(key)} header`);
        }
      }
      return undefined;
    },
  },
  {
    id: 'single-value-headers',
    roles: ALL_ROLES,
    rfc: 'RFC 3261 §7.3.1, RFC 4475 §3.3.8, §3.3.9',
    check: ({ request }) => {
      for (const key of SINGLE_VALUE_HEADERS) {
        if (request.headers.count(key) > 1) {
          const detail = `more than one ${canonicalHeaderName(key)} header`;
          return createRejection('single-value-headers', 400, detail);
        }
      }
      return undefined;
    },
  },
  {
    id: 'max-forwards',
    roles: ['proxy'],
    rfc: 'RFC 3261 §16.3 step 3, RFC 4475 §3.3.11',
    check: ({ request }) =>
      request.maxForwards === 0 ? createRejection('max-forwards', 483, 'Max-Forwards is zero') : undefined,
  },
  {
    id: 'method',
    roles: ENDPOINT_ROLES,
    rfc: 'RFC 3261 §8.2.1, RFC 4475 §3.1.1.2, §3.3.7',
    check: ({ request, methods }) => {
      if (methods.includes(request.method)) return undefined;
      const allow: Array<readonly [string, string]> = [['Allow', methods.join(', ')]];
      return KNOWN_METHODS.includes(request.method)
        ? createRejection('method', 405, 'method not allowed here', allow)
        : createRejection('method', 501, 'method not implemented', allow);
    },
  },
  {
    id: 'cseq-method',
    roles: ALL_ROLES,
    rfc: 'RFC 3261 §8.1.1.5, RFC 4475 §3.1.2.17',
    check: ({ request }) =>
      request.cseq!.method === request.method
        ? undefined
        : createRejection('cseq-method', 400, 'CSeq method does not match the request method'),
  },
  {
    id: 'request-uri-scheme',
    roles: ALL_ROLES,
    rfc: 'RFC 3261 §8.2.2.1, §16.3 step 2, RFC 4475 §3.3.2, §3.3.3',
    check: ({ request, policy }) => {
      const schemes = policy.uriSchemes ?? ['sip', 'sips', 'tel'];
      return schemes.includes(request.requestUri.scheme)
        ? undefined
        : createRejection('request-uri-scheme', 416, 'Request-URI scheme not supported');
    },
  },
  {
    id: 'registrar-address-of-record',
    roles: ['registrar'],
    rfc: 'RFC 3261 §10.3 step 3, RFC 4475 §3.3.4',
    check: ({ request }) => {
      if (request.method !== 'REGISTER') return undefined;
      return request.to!.uri.kind === 'sip'
        ? undefined
        : createRejection('registrar-address-of-record', 400, 'To of a REGISTER must be a SIP or SIPS URI');
    },
  },
  {
    id: 'require',
    roles: ENDPOINT_ROLES,
    rfc: 'RFC 3261 §8.2.2.3, RFC 4475 §3.3.5',
    check: ({ request, policy }) => {
      // Require is not processed for CANCEL, nor for ACK: it cannot be refused (§8.2.2.3).
      if (request.method === 'CANCEL' || request.method === 'ACK') return undefined;
      return unsupportedTags('require', request.require, policy);
    },
  },
  {
    id: 'proxy-require',
    roles: ['proxy'],
    rfc: 'RFC 3261 §16.3 step 5, RFC 4475 §3.3.5',
    check: ({ request, policy }) => unsupportedTags('proxy-require', request.proxyRequire, policy),
  },
  {
    id: 'content-type',
    roles: ENDPOINT_ROLES,
    rfc: 'RFC 3261 §8.2.3, RFC 4475 §3.3.6',
    check: ({ request, policy }) => {
      if (request.body.length === 0) return undefined;
      const accepted = policy.acceptedContentTypes ?? ['application/sdp'];
      const type = request.contentType?.essence;
      if (type !== undefined && accepted.includes(type)) return undefined;
      return createRejection('content-type', 415, 'body type not supported', [
        ['Accept', accepted.join(', ')],
      ]);
    },
  },
  {
    id: 'accept',
    roles: ['uas'],
    rfc: 'RFC 3261 §20.1, §21.4.7, RFC 4475 §3.3.15',
    check: ({ request, policy }) => {
      if (request.method !== 'INVITE' || !request.headers.has('accept')) return undefined;
      const answer = policy.answerContentType ?? 'application/sdp';
      return accepts(request.headers.getList('accept'), answer)
        ? undefined
        : createRejection('accept', 406, `Accept does not allow ${answer}`, [['Accept', answer]]);
    },
  },
]);

/**
 * The response a server in `policy.role` must send instead of processing `request`, or undefined when the
 * request is acceptable. Never throws for a parsed request: a header the rules need that turns out malformed
 * is itself a 400.
 */
export function checkRequestAcceptability(
  request: SipRequest,
  policy: AcceptabilityPolicy,
): SipRejection | undefined {
  const methods =
    policy.allowedMethods ??
    (policy.role === 'registrar' ? [...DEFAULT_METHODS, 'REGISTER'] : DEFAULT_METHODS);
  const context: AcceptabilityContext = { request, policy, methods };
  for (const rule of ACCEPTABILITY_RULES) {
    if (!rule.roles.includes(policy.role)) continue;
    try {
      const rejection = rule.check(context);
      if (rejection !== undefined) return rejection;
    } catch (error) {
      if (!(error instanceof SipParseError)) throw error;
      const detail =
        error.header === undefined
          ? 'malformed request'
          : `malformed ${canonicalHeaderName(error.header)} header`;
      return createRejection(rule.id, 400, detail);
    }
  }
  return undefined;
}

function unsupportedTags(
  id: string,
  tags: readonly string[],
  policy: AcceptabilityPolicy,
): SipRejection | undefined {
  const supported = (policy.supportedOptionTags ?? []).map((t) => t.toLowerCase());
  const unknown = tags.filter((t) => !supported.includes(t.toLowerCase()));
  if (unknown.length === 0) return undefined;
  return createRejection(id, 420, 'extension not supported', [['Unsupported', unknown.join(', ')]]);
}

/** Whether an Accept list (media ranges with parameters) admits `type` (RFC 3261 §20.1, RFC 2616 §14.1). */
function accepts(ranges: readonly string[], type: string): boolean {
  const [main] = type.split('/');
  return ranges.some((range) => {
    const essence = range.split(';')[0].trim().toLowerCase();
    return essence === type || essence === '*/*' || essence === `${main}/*`;
  });
}
