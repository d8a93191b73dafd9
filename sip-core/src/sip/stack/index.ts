// The front door of the SIP stack: one endpoint over a transport layer, with transactions and a TU.

export {
  DEFAULT_SIP_PORT,
  DEFAULT_SIPS_PORT,
  defaultPortFor,
  destinationForUri,
  requestTargetUri,
} from './request-destination.js';
export { responseRoute, stampReceived, type ResponseRoute } from './response-route.js';
export {
  SipStack,
  type ParsedMessageObserver,
  type SendRequestOptions,
  type SipStackCounters,
  type SipStackOptions,
} from './sip-stack.js';
export { SipStackError, type SipStackErrorCode } from './sip-stack-error.js';
export type { TransactionUser } from './transaction-user.js';
