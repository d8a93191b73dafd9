// The store layer's front door. Other layers import from here, never from deeper files.

export { TrunklineStore, InvalidRecordError, EXPORT_PAGE_ROWS } from './trunkline-store.js';
export { CdrWriteThread, type CdrWriteThreadOptions } from './cdr-write-thread.js';
export type { RecordedCdr, RecordResult } from './cdr-write-wire.js';
export type {
  CallEnd,
  CallEndResult,
  CdrPage,
  Issue,
  RecordCallEndsOptions,
  RetentionSettings,
  TrunklineStoreOptions,
} from './trunkline-store.js';
export {
  CALL_DIRECTIONS,
  CDR_FIELDS,
  HANGUP_SOURCES,
  RECORDERS,
  STIR_VERIFICATIONS,
  TRANSPORT_PROTOCOLS,
  TRUNKLINE_CDR_FIELDS,
  ZENTRUNK_CALL_FIELDS,
  callDetailRecordSchema,
} from './call-detail-record.js';
export type {
  CallDetailRecord,
  CallDirection,
  HangupSource,
  JsonValue,
  NewCallDetailRecord,
  RecordedBy,
  StirVerification,
} from './call-detail-record.js';
export {
  CDR_FILTER_NAMES,
  DEFAULT_PAGE_LIMIT,
  MAX_PAGE_LIMIT,
  cdrQueryFromSearchParams,
  compileCdrQuery,
} from './cdr-filter.js';
export type { CdrFilter, CdrQuery } from './cdr-filter.js';
export { cdrCellText } from './cdr-export.js';
export type { CsvExportOptions, JsonExportFormat } from './cdr-export.js';
export { csvField, csvRecord, type CsvOptions } from './csv.js';
export { zentrunkListMeta, type ZentrunkListMeta } from './zentrunk-list-meta.js';
export { DEFAULT_SHORT_MAX_S } from './billing-summary.js';
export type { BillingCountryRow, BillingSummaryOptions } from './billing-summary.js';
export type { CheckRunRecord, CheckRunSummary } from './check-run.js';
export { packSipTrace, unpackSipTrace } from './sip-trace-codec.js';
export type { StoredSipMessage, TraceEncoding } from './sip-trace-codec.js';
export {
  DATABASE_FILE_NAME,
  DEFAULT_BUSY_TIMEOUT_MS,
  MEMORY_DATABASE,
  defaultDatabasePath,
  moveDatabaseAside,
} from './store-database.js';
export type { StoreDatabaseOptions } from './store-database.js';
export { MIGRATIONS, SCHEMA_VERSION } from './migrations.js';
export { StoreError, type StoreErrorCode } from './store-error.js';
export { formatZentrunkTime, parseZentrunkFilterTime, parseZentrunkTime } from './zentrunk-time.js';
export {
  JsonFileError,
  atomicWriteJson,
  backupPathOf,
  readJsonFile,
  type JsonFileErrorCode,
  type JsonFileRead,
} from './atomic-json-file.js';
