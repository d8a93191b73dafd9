// The front door of the transaction layer (RFC 3261 §17, RFC 6026).

export {
  InviteClientTransaction,
  InviteClientTransactionState,
  type InviteClientTransactionEvents,
} from './invite-client-transaction.js';
export {
  InviteServerTransaction,
  InviteServerTransactionState,
  type InviteServerTransactionEvents,
  type InviteServerTransactionOptions,
  type ServerRequestDisposition,
} from './invite-server-transaction.js';
export {
  NonInviteClientTransaction,
  NonInviteClientTransactionState,
  type NonInviteClientTransactionEvents,
} from './non-invite-client-transaction.js';
export {
  NonInviteServerTransaction,
  NonInviteServerTransactionState,
  type NonInviteServerTransactionEvents,
} from './non-invite-server-transaction.js';
export { ExpiryQueue, type Expiring } from './expiry-queue.js';
export type { TransactionChannel, TransactionEnvironment } from './transaction-channel.js';
export { SipTransactionError, type SipTransactionErrorCode } from './transaction-error.js';
export {
  DEFAULT_TRANSACTION_TIMERS,
  resolveTransactionTimers,
  timerDMs,
  timerJMs,
  timerT4WaitMs,
  transactionTimeoutMs,
  type TransactionTimerSettings,
} from './transaction-timers.js';
export { Transaction, type ClientTransactionEvents, type TransactionEvents } from './transaction.js';

import type { InviteClientTransaction } from './invite-client-transaction.js';
import type { InviteServerTransaction } from './invite-server-transaction.js';
import type { NonInviteClientTransaction } from './non-invite-client-transaction.js';
import type { NonInviteServerTransaction } from './non-invite-server-transaction.js';

export type ClientTransaction = InviteClientTransaction | NonInviteClientTransaction;
export type ServerTransaction = InviteServerTransaction | NonInviteServerTransaction;
