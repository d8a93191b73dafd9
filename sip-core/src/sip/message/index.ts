// The front door of the SIP message model: everything other layers use is exported here, and nothing outside
// sip/message imports a file of this folder directly.

export { AbsoluteUri } from './absolute-uri.js';
export { createCancel, createNon2xxAck, createRequest, toNameAddr } from './create-request.js';
export type { AddressInput, RequestInit } from './create-request.js';
export { createRejectionResponse, createResponse } from './create-response.js';
export type { ResponseInit } from './create-response.js';
export { CSeq, MAX_CSEQ } from './cseq.js';
export { GenericParams } from './generic-params.js';
export type { ParamValue, ReadonlyParams } from './generic-params.js';
export { HeaderField } from './header-field.js';
export type { HeaderGrammar } from './header-field.js';
export { canonicalHeaderName, COMPACT_FORMS, headerKey, SINGLE_VALUE_HEADERS } from './header-names.js';
export { HeaderValue } from './header-value.js';
export { MediaType, parseMediaType } from './media-type.js';
export {
  MALFORMED_EXPIRES_SECONDS,
  MAX_EXPIRES_SECONDS,
  NameAddr,
  parseNameAddr,
  parseNameAddrList,
} from './name-addr.js';
export type { NameAddrInit } from './name-addr.js';
export { DEFAULT_PARSE_LIMITS } from './parse-limits.js';
export type { ParseLimits } from './parse-limits.js';
export { parseSipMessage } from './parse-sip-message.js';
export type { ParseOptions } from './parse-sip-message.js';
export { generateBranch, generateCallId, generateTag } from './random-ids.js';
export { reasonPhraseFor } from './reason-phrases.js';
export { parseReasonList, ReasonValue } from './reason.js';
export type { ReasonInit } from './reason.js';
export { ACCEPTABILITY_RULES, checkRequestAcceptability, KNOWN_METHODS } from './request-acceptability.js';
export type {
  AcceptabilityContext,
  AcceptabilityPolicy,
  AcceptabilityRule,
  SipRole,
} from './request-acceptability.js';
export { checkResponseAcceptability } from './response-acceptability.js';
export type { ResponseDrop } from './response-acceptability.js';
export { serializeSipMessage } from './serialize-sip-message.js';
export { SipHeaders } from './sip-headers.js';
export { quote, unquote } from './sip-lexer.js';
export { SipMessage } from './sip-message.js';
export { SipMessageError } from './sip-message-error.js';
export type { SipMessageErrorCode } from './sip-message-error.js';
export { SipParseError } from './sip-parse-error.js';
export type { SipParseErrorCode } from './sip-parse-error.js';
export { createRejection } from './sip-rejection.js';
export type { SipRejection } from './sip-rejection.js';
export { SIP_VERSION, SipRequest } from './sip-request.js';
export { SipResponse } from './sip-response.js';
export { SipUri } from './sip-uri.js';
export type { SipUriInit } from './sip-uri.js';
export { TelUri } from './tel-uri.js';
export type { TelUriInit } from './tel-uri.js';
export {
  cancelTargetKey,
  clientTransactionKey,
  isRfc3261Branch,
  serverTransactionKey,
} from './transaction-keys.js';
export { uriEquals } from './uri-equals.js';
export { parseUri } from './uri.js';
export type { Uri } from './uri.js';
export { MAGIC_COOKIE, Via } from './via.js';
export type { ViaInit } from './via.js';
