// The limits folder's front door: CPS accounting, the account CPS queue, concurrency, and the facade over them.

export { SlidingWindowCounter } from './sliding-window-counter.js';
export { CpsAccounting } from './cps-accounting.js';
export { ConcurrencyCounter, type CallLease, type CallLegKind } from './concurrency-counter.js';
export {
  AccountCpsQueue,
  type AccountCpsQueueOptions,
  type AccountCpsWindow,
  type QueueRequest,
  type QueueTicket,
  type QueueTicketState,
} from './account-cps-queue.js';
export { CallAdmission, type AdmissionCounters, type CallAdmissionOptions } from './call-admission.js';
