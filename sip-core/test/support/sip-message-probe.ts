// Reads every view of a parsed message the way upper layers do, for round-trip and fuzz tests.

import {
  type AcceptabilityPolicy,
  checkRequestAcceptability,
  checkResponseAcceptability,
  clientTransactionKey,
  createResponse,
  SipParseError,
  SipRequest,
  type SipResponse,
  serializeSipMessage,
  serverTransactionKey,
  cancelTargetKey,
} from '../../src/sip/message/index.js';

const ROLES: AcceptabilityPolicy[] = [{ role: 'uas' }, { role: 'registrar' }, { role: 'proxy' }];

/**
 * Calls `read` and returns its result, or the SipParseError it threw (the only error a view of bad input may
 * throw). Any other exception propagates and fails the test.
 */
export function orParseError<T>(read: () => T): T | SipParseError {
  try {
    return read();
  } catch (error) {
    if (error instanceof SipParseError) return error;
    throw error;
  }
}

/** Every structured view, serialisation, keys, acceptability and a response; returns how many views threw. */
export function exerciseMessage(message: SipRequest | SipResponse): number {
  const reads: Array<() => unknown> = [
    () => message.startLine,
    () => message.vias.map((v) => [v.transport, v.sentBy, v.branch, v.rport, v.received, v.ttl, String(v)]),
    () => [message.from?.displayName, message.from?.uri.format(), message.from?.tag],
    () => [message.to?.displayName, message.to?.uri.toString(), message.to?.tag],
    () => message.callId,
    () => [message.cseq?.seq, message.cseq?.method],
    () => message.maxForwards,
    () => message.contacts.map((c) => [c.expires, c.q, c.uri.format(), String(c)]),
    () => message.isContactWildcard,
    () => message.routes.map(String),
    () => message.recordRoutes.map(String),
    () => message.contentLength,
    () => message.contentType?.essence,
    () => message.expires,
    () => [message.allow, message.supported, message.require, message.proxyRequire, message.unsupported],
    () => message.reasons.map((r) => [r.protocol, r.cause, r.text]),
    () => serializeSipMessage(message),
    () => clientTransactionKey(message),
  ];
  if (message instanceof SipRequest) {
    reads.push(
      () => message.requestUri.format(),
      () => serverTransactionKey(message),
      () => cancelTargetKey(message),
      () => serializeSipMessage(createResponse(message, 400, { toTag: 'probe' })),
      ...ROLES.map((policy) => () => checkRequestAcceptability(message, policy)),
    );
  } else {
    reads.push(
      () => checkResponseAcceptability(message, { role: 'uac' }),
      () => checkResponseAcceptability(message, { role: 'proxy' }),
    );
  }
  let failures = 0;
  for (const read of reads) if (orParseError(read) instanceof SipParseError) failures++;
  return failures;
}
