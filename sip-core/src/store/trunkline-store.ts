// The store's front door: one SQLite database per data folder holding the CDRs, their SIP traces and the
// check-run reports. Every method is synchronous (better-sqlite3): when `recordCallEnd` returns, the CDR and
// its trace are committed, and in WAL mode a committed transaction survives a crash of the process.

import type Database from 'better-sqlite3';
import type { z } from 'zod';
import { systemClock, type Clock } from '../common/clock.js';
import type { Disposable } from '../common/disposable.js';
import {
  DEFAULT_SHORT_MAX_S,
  type BillingCountryRow,
  type BillingSummaryOptions,
} from './billing-summary.js';
import {
  callDetailRecordSchema,
  type CallDetailRecord,
  type NewCallDetailRecord,
} from './call-detail-record.js';
import { cdrsToCsv, cdrsToJson, type CsvExportOptions, type JsonExportFormat } from './cdr-export.js';
import { compileCdrQuery, pageBounds, type CdrFilter, type CdrQuery, type SqlValue } from './cdr-filter.js';
import { fastCheckedCdr } from './cdr-fast-check.js';
import { CDR_INSERT_SQL, CDR_SELECT_LIST, cdrToRow, e5ToMoney, rowToCdr } from './cdr-row.js';
import { checkRunSchema, type CheckRunRecord, type CheckRunSummary } from './check-run.js';
import {
  packSipTrace,
  unpackSipTrace,
  type StoredSipMessage,
  type TraceEncoding,
} from './sip-trace-codec.js';
import { openStoreDatabase, type StoreDatabaseOptions } from './store-database.js';
import { StoreError, storeError, toStoreError } from './store-error.js';
import { parseUtcMonth } from './zentrunk-time.js';

export interface RetentionSettings {
  /** Keep at most this many calls (the newest). */
  readonly maxCalls?: number;
  /** Keep calls that ended within this many days. */
  readonly maxAgeDays?: number;
}

export interface TrunklineStoreOptions extends StoreDatabaseOptions {
  /** `wallNow()` is "now" for retention by age. */
  readonly clock?: Clock;
  /** Applied by `purge()` without arguments. */
  readonly retention?: RetentionSettings;
  /** How new traces are packed (default `deflate`; see docs/adr/0071-sip-traces-packed-per-call.md). */
  readonly traceEncoding?: TraceEncoding;
}

/** One ended call for `recordCallEnds`. */
export interface CallEnd {
  readonly cdr: NewCallDetailRecord;
  readonly trace?: readonly StoredSipMessage[];
}

/** How `recordCallEnds` treats its input. */
export interface RecordCallEndsOptions {
  /**
   * The records were built by Trunkline itself (the emulator's `buildCdr`): each goes through a hand-written
   * check of the schema's rules first (docs/adr/0152), and zod runs only for a record that check refuses, to
   * name the field. Leave it unset for records from anywhere else: zod checks them all.
   */
  readonly builtInternally?: boolean;
}

/** What became of one call of a batch: its stored record, or the error that kept it out (the others went in). */
export type CallEndResult =
  { readonly ok: true; readonly cdr: CallDetailRecord } | { readonly ok: false; readonly error: StoreError };

export interface CdrPage {
  readonly objects: CallDetailRecord[];
  /** Zentrunk's list `meta` without the links (see `zentrunkListMeta`). */
  readonly meta: { readonly limit: number; readonly offset: number; readonly total_count: number };
}

export interface Issue {
  readonly path: string;
  readonly message: string;
}

/** A rejected record: every problem, each with its field. */
export class InvalidRecordError extends StoreError {
  readonly issues: readonly Issue[];

  constructor(what: string, issues: readonly Issue[]) {
    const listed = issues.slice(0, 4).map((i) => `${i.path || '(record)'}: ${i.message}`);
    const more = issues.length > 4 ? ` (and ${issues.length - 4} more)` : '';
    super(
      'STORE_INVALID_RECORD',
      `The ${what} is invalid — ${listed.join('; ')}${more}. Nothing was written.`,
    );
    this.issues = issues;
  }
}

/** Rows deleted by one batch of a purge: a short write transaction, so other writers are not held up. */
const PURGE_BATCH_ROWS = 5_000;
/** Rows per page of an iteration or export. */
export const EXPORT_PAGE_ROWS = 500;
const MS_PER_DAY = 86_400_000;
const ORDER = 'ORDER BY end_epoch_s DESC, id DESC';
/** Prepared statements kept; filters combine into many SQL texts, so the cache is bounded. */
const STATEMENT_CACHE_SIZE = 128;

function validated<T>(schema: z.ZodType<T>, value: unknown, what: string): T {
  const result = schema.safeParse(value);
  if (result.success) return result.data;
  throw new InvalidRecordError(
    what,
    result.error.issues.map((i) => ({ path: i.path.map(String).join('.'), message: i.message })),
  );
}

export class TrunklineStore implements Disposable {
  readonly path: string;
  /** The schema version the file had when opened (0: new). */
  readonly foundVersion: number;
  readonly #db: Database.Database;
  readonly #clock: Clock;
  readonly #retention: RetentionSettings;
  readonly #traceEncoding: TraceEncoding;
  readonly #statements = new Map<string, Database.Statement>();
  /** The hot path of recordCallEnd, prepared once: the CDR row and its trace in one transaction. */
  readonly #insertCall: (row: unknown[], packed: Buffer | undefined, messageCount: number) => void;
  /** The batched form: many calls, one transaction. */
  readonly #insertCalls: (
    rows: ReadonlyArray<{ row: unknown[]; packed: Buffer | undefined; count: number }>,
  ) => void;
  #closed = false;

  private constructor(db: Database.Database, foundVersion: number, options: TrunklineStoreOptions) {
    this.#db = db;
    this.path = options.path;
    this.foundVersion = foundVersion;
    this.#clock = options.clock ?? systemClock;
    this.#retention = options.retention ?? {};
    this.#traceEncoding = options.traceEncoding ?? 'deflate';
    const insertCdr = db.prepare(CDR_INSERT_SQL);
    const insertTrace = db.prepare('INSERT INTO sip_trace (cdr_id, message_count, packed) VALUES (?, ?, ?)');
    this.#insertCall = db.transaction((row: unknown[], packed: Buffer | undefined, messageCount: number) => {
      const { lastInsertRowid } = insertCdr.run(row);
      if (packed) insertTrace.run(lastInsertRowid, messageCount, packed);
    });
    this.#insertCalls = db.transaction(
      (rows: ReadonlyArray<{ row: unknown[]; packed: Buffer | undefined; count: number }>) => {
        for (const { row, packed, count } of rows) {
          const { lastInsertRowid } = insertCdr.run(row);
          if (packed) insertTrace.run(lastInsertRowid, count, packed);
        }
      },
    );
  }

  /** Opens or creates the database and migrates it; throws `StoreError` (see store-error.ts) when it cannot. */
  static open(options: TrunklineStoreOptions): TrunklineStore {
    const { db, foundVersion } = openStoreDatabase(options);
    return new TrunklineStore(db, foundVersion, options);
  }

  // --- CDRs and traces ---------------------------------------------------------------------------------------

  /**
   * Validates and commits an ended call's CDR and its SIP trace in one transaction; returns the stored record.
   * Throws `STORE_INVALID_RECORD` (nothing written) or `STORE_DUPLICATE` (the call_uuid is recorded already).
   */
  recordCallEnd(input: NewCallDetailRecord, trace: readonly StoredSipMessage[] = []): CallDetailRecord {
    this.#checkOpen();
    const cdr = validated<CallDetailRecord>(callDetailRecordSchema, input, 'call detail record');
    const packed = trace.length > 0 ? packSipTrace(trace, this.#traceEncoding) : undefined;
    this.#run(`recording call ${cdr.call_uuid}`, () => this.#insertCall(cdrToRow(cdr), packed, trace.length));
    return cdr;
  }

  /**
   * `recordCallEnd` for many calls in ONE transaction (one commit, one WAL sync point, instead of one per call):
   * every result is committed when this returns. A record that is refused (invalid, duplicate) costs only
   * itself: the batch is then retried call by call. Throws only `STORE_CLOSED`; other failures are per call.
   */
  recordCallEnds(calls: readonly CallEnd[], options: RecordCallEndsOptions = {}): CallEndResult[] {
    this.#checkOpen();
    const results: CallEndResult[] = [];
    const rows: Array<{ row: unknown[]; packed: Buffer | undefined; count: number }> = [];
    for (const call of calls) {
      try {
        const cdr =
          (options.builtInternally === true ? fastCheckedCdr(call.cdr) : undefined) ??
          validated<CallDetailRecord>(callDetailRecordSchema, call.cdr, 'call detail record');
        const trace = call.trace ?? [];
        const packed = trace.length > 0 ? packSipTrace(trace, this.#traceEncoding) : undefined;
        rows.push({ row: cdrToRow(cdr), packed, count: trace.length });
        results.push({ ok: true, cdr });
      } catch (error) {
        results.push({ ok: false, error: toStoreError(error, this.path, 'recording a call') });
      }
    }
    if (rows.length === 0) return results;
    try {
      this.#insertCalls(rows);
      return results;
    } catch {
      // One row broke the transaction (a duplicate call_uuid, most likely) and rolled the batch back: write the
      // calls one by one so that each failure stays with its own call.
      return results.map((result, index): CallEndResult => {
        if (!result.ok) return result;
        try {
          return { ok: true, cdr: this.recordCallEnd(result.cdr, calls[index]?.trace) };
        } catch (error) {
          return { ok: false, error: toStoreError(error, this.path, 'recording a call') };
        }
      });
    }
  }

  getCdr(callUuid: string): CallDetailRecord | undefined {
    return this.#run('reading a call', () => {
      const row = this.#statement(`SELECT ${CDR_SELECT_LIST} FROM cdr WHERE call_uuid = ?`).get(callUuid);
      return row === undefined ? undefined : rowToCdr(row as Record<string, unknown>);
    });
  }

  /** One page of the calls matching `query`, newest first, with the total count. */
  listCdrs(query: CdrQuery = {}): CdrPage {
    const { where, params, limit, offset } = compileCdrQuery(query);
    return this.#run('reading the call list', () =>
      this.#db
        .transaction(() => {
          const rows = this.#statement(
            `SELECT ${CDR_SELECT_LIST} FROM cdr WHERE ${where} ${ORDER} LIMIT ? OFFSET ?`,
          ).all(...params, limit, offset) as Record<string, unknown>[];
          const total = this.#statement(`SELECT count(*) AS n FROM cdr WHERE ${where}`).get(...params) as {
            n: number;
          };
          return { objects: rows.map(rowToCdr), meta: { limit, offset, total_count: total.n } };
        })
        .deferred(),
    );
  }

  /**
   * Pages of every call matching `filter`, newest first. Each page is its own query continuing after the last
   * row of the previous page (keyset pagination), so the connection is free between pages: calls can be
   * recorded while an export runs, and no read snapshot is held open for its whole length.
   */
  *cdrPages(filter: CdrFilter = {}, pageRows: number = EXPORT_PAGE_ROWS): Generator<CallDetailRecord[]> {
    const { where, params } = compileCdrQuery({ ...filter, limit: undefined, offset: undefined });
    const first = `SELECT id, end_epoch_s, ${CDR_SELECT_LIST} FROM cdr WHERE ${where} ${ORDER} LIMIT ?`;
    const next = `SELECT id, end_epoch_s, ${CDR_SELECT_LIST} FROM cdr WHERE (${where}) AND (end_epoch_s, id) < (?, ?) ${ORDER} LIMIT ?`;
    let cursor: [number, number] | undefined;
    for (;;) {
      const [records, last] = this.#run('exporting calls', () => {
        const rows = (
          cursor === undefined
            ? this.#statement(first).all(...params, pageRows)
            : this.#statement(next).all(...params, ...cursor, pageRows)
        ) as (Record<string, unknown> & { id: number; end_epoch_s: number })[];
        return [rows.map(rowToCdr), rows.at(-1)] as const;
      });
      if (records.length > 0) yield records;
      if (records.length < pageRows || last === undefined) return;
      cursor = [last.end_epoch_s, last.id];
    }
  }

  /** Every call matching `filter`, newest first, read a page at a time. */
  *iterateCdrs(filter: CdrFilter = {}): Generator<CallDetailRecord> {
    for (const page of this.cdrPages(filter)) yield* page;
  }

  /** The matching calls as CSV text chunks (header first); see csv.ts for quoting and formula escaping. */
  exportCsv(filter: CdrFilter = {}, options: CsvExportOptions = {}): Generator<string> {
    return cdrsToCsv(this.cdrPages(filter), options);
  }

  /** The matching calls as JSON text chunks: one array, or NDJSON. */
  exportJson(filter: CdrFilter = {}, format: JsonExportFormat = 'array'): Generator<string> {
    return cdrsToJson(this.cdrPages(filter), format);
  }

  /** The call's SIP messages in the order they were recorded; empty when the call has no stored trace. */
  getSipTrace(callUuid: string): StoredSipMessage[] {
    return this.#run('reading a SIP trace', () => {
      const row = this.#statement(
        'SELECT t.packed FROM sip_trace t JOIN cdr c ON c.id = t.cdr_id WHERE c.call_uuid = ?',
      ).get(callUuid) as { packed: Buffer } | undefined;
      return row === undefined ? [] : unpackSipTrace(row.packed);
    });
  }

  // --- Retention -----------------------------------------------------------------------------------------------

  /**
   * Deletes the calls (and their traces) beyond the retention settings: older than `maxAgeDays`, and all but
   * the newest `maxCalls`. Runs in short batches. Returns how many calls were deleted.
   */
  purge(retention: RetentionSettings = this.#retention): { deletedCalls: number } {
    for (const [name, value] of Object.entries(retention)) {
      if (value !== undefined && !(typeof value === 'number' && value >= 0 && Number.isFinite(value))) {
        throw storeError(
          'STORE_INVALID_SETTING',
          `The retention setting ${name} must be a number of 0 or more.`,
        );
      }
    }
    return this.#run('purging old calls', () => {
      let deleted = 0;
      const deleteBatch = (condition: string, ...params: SqlValue[]): void => {
        const statement = this.#statement(
          `DELETE FROM cdr WHERE id IN (SELECT id FROM cdr WHERE ${condition} LIMIT ${PURGE_BATCH_ROWS})`,
        );
        for (;;) {
          const { changes } = statement.run(...params);
          deleted += changes;
          if (changes < PURGE_BATCH_ROWS) return;
        }
      };
      if (retention.maxAgeDays !== undefined) {
        const cutoffMs = this.#clock.wallNow() - retention.maxAgeDays * MS_PER_DAY;
        deleteBatch('end_epoch_s < ?', Math.floor(cutoffMs / 1000));
      }
      if (retention.maxCalls !== undefined) {
        const keep = Math.floor(retention.maxCalls);
        const oldestKept =
          keep > 0
            ? (this.#statement(`SELECT end_epoch_s, id FROM cdr ${ORDER} LIMIT 1 OFFSET ?`).get(keep - 1) as
                { end_epoch_s: number; id: number } | undefined)
            : undefined;
        if (keep <= 0) deleteBatch('1');
        else if (oldestKept) deleteBatch('(end_epoch_s, id) < (?, ?)', oldestKept.end_epoch_s, oldestKept.id);
      }
      return { deletedCalls: deleted };
    });
  }

  // --- Billing ---------------------------------------------------------------------------------------------------

  /** A calendar month's calls per destination country: what policy's surcharge computation needs (§12.5). */
  billingSummary(options: BillingSummaryOptions): BillingCountryRow[] {
    const month = parseUtcMonth(options.month);
    if (month === undefined) {
      throw storeError('STORE_INVALID_FILTER', `The month ${options.month} is not YYYY-MM.`);
    }
    const shortMaxS = options.shortMaxS ?? DEFAULT_SHORT_MAX_S;
    if (!Number.isSafeInteger(shortMaxS) || shortMaxS < 0) {
      throw storeError('STORE_INVALID_FILTER', 'shortMaxS must be a whole number of seconds.');
    }
    const conditions = ['end_epoch_s >= ?', 'end_epoch_s < ?'];
    const params: SqlValue[] = [month.startMs / 1000, month.endMs / 1000];
    if (options.call_direction !== undefined) {
      conditions.push('call_direction = ?');
      params.push(options.call_direction);
    }
    if (options.recorded_by !== undefined) {
      conditions.push('recorded_by = ?');
      params.push(options.recorded_by);
    }
    const rows = this.#run('summarising a month', () =>
      this.#statement(
        `SELECT to_country, count(*) AS calls, sum(bill_duration = 0) AS abandoned_calls,
           sum(bill_duration > 0 AND bill_duration <= ?) AS short_calls, sum(bill_duration) AS bill_duration_s,
           sum(billed_duration) AS billed_duration_s, sum(total_amount_e5) AS amount_e5
         FROM cdr WHERE ${conditions.join(' AND ')} GROUP BY to_country ORDER BY to_country`,
      ).all(shortMaxS, ...params),
    ) as (Omit<BillingCountryRow, 'total_amount'> & { amount_e5: number })[];
    return rows.map(({ amount_e5, ...row }) => ({ ...row, total_amount: e5ToMoney(amount_e5) }));
  }

  // --- Check runs ------------------------------------------------------------------------------------------------

  insertCheckRun(input: CheckRunRecord): void {
    const run = validated<CheckRunRecord>(checkRunSchema, input, 'check run');
    const report = JSON.stringify(run.report);
    this.#run(`recording check run ${run.runId}`, () =>
      this.#statement(
        `INSERT INTO check_run (run_id, started_ms, finished_ms, target, passed, failed, skipped, report)
         VALUES (?, ?, ?, ?, ?, ?, ?, ?)`,
      ).run(
        run.runId,
        run.startedMs,
        run.finishedMs,
        run.target,
        run.passed,
        run.failed,
        run.skipped,
        report,
      ),
    );
  }

  getCheckRun(runId: string): CheckRunRecord | undefined {
    return this.#run('reading a check run', () => {
      const row = this.#statement(`SELECT ${CHECK_RUN_COLUMNS}, report FROM check_run WHERE run_id = ?`).get(
        runId,
      ) as (CheckRunSummary & { report: string }) | undefined;
      return row === undefined
        ? undefined
        : { ...row, report: JSON.parse(row.report) as CheckRunRecord['report'] };
    });
  }

  /** Check runs, newest first, without their reports. */
  listCheckRuns(page: { limit?: number; offset?: number } = {}): {
    objects: CheckRunSummary[];
    total_count: number;
  } {
    const { limit, offset } = pageBounds(page);
    return this.#run('reading the check runs', () => ({
      objects: this.#statement(
        `SELECT ${CHECK_RUN_COLUMNS} FROM check_run ORDER BY started_ms DESC, id DESC LIMIT ? OFFSET ?`,
      ).all(limit, offset) as CheckRunSummary[],
      total_count: (this.#statement('SELECT count(*) AS n FROM check_run').get() as { n: number }).n,
    }));
  }

  // --- Maintenance -----------------------------------------------------------------------------------------------

  /** SQLite's full integrity check: an empty list when the database is sound, else its findings. */
  integrityCheck(): string[] {
    const rows = this.#run(
      'checking integrity',
      () => this.#db.pragma('integrity_check') as { integrity_check: string }[],
    );
    const findings = rows.map((r) => r.integrity_check);
    return findings.length === 1 && findings[0] === 'ok' ? [] : findings;
  }

  get isOpen(): boolean {
    return !this.#closed;
  }

  close(): void {
    if (this.#closed) return;
    this.#closed = true;
    this.#statements.clear();
    this.#db.close();
  }

  dispose(): void {
    this.close();
  }

  #checkOpen(): void {
    if (this.#closed) throw storeError('STORE_CLOSED', `The database ${this.path} is closed.`);
  }

  #run<T>(doing: string, body: () => T): T {
    this.#checkOpen();
    try {
      return body();
    } catch (error) {
      throw toStoreError(error, this.path, doing);
    }
  }

  #statement(sql: string): Database.Statement {
    let statement = this.#statements.get(sql);
    if (statement === undefined) {
      if (this.#statements.size >= STATEMENT_CACHE_SIZE) this.#statements.clear();
      statement = this.#db.prepare(sql);
      this.#statements.set(sql, statement);
    }
    return statement;
  }
}

const CHECK_RUN_COLUMNS =
  'run_id AS runId, started_ms AS startedMs, finished_ms AS finishedMs, target, passed, failed, skipped';
