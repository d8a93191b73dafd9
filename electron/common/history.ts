// Call history: the CDRs in the store (the softphone's and the emulator's calls), under Zentrunk's own field
// names because that is how the CSV export and the emulator's Call API show them (docs/adr/0070).

export type CallDirection = 'inbound' | 'outbound';
export type RecordedBy = 'emulator' | 'softphone';

/** The CDR fields the history list shows; the full record is in `CallDiagnosis.record`. */
export interface CallSummary {
  readonly call_uuid: string;
  readonly call_direction: CallDirection;
  readonly recorded_by: RecordedBy | null;
  readonly from_number: string;
  readonly to_number: string;
  readonly initiation_time: string;
  readonly answer_time: string | null;
  readonly end_time: string;
  readonly call_duration: number;
  readonly hangup_cause_code: number;
  readonly hangup_cause_name: string;
  readonly hangup_source: string;
  readonly sip_status: number | null;
  readonly codec: string | null;
  readonly srtp: boolean;
  readonly trunk_domain: string;
}

/** The filters of the Calls view; each maps to a store filter of the same meaning. */
export interface HistoryFilter {
  readonly direction?: CallDirection;
  readonly recordedBy?: RecordedBy;
  readonly hangupCauseCode?: number;
  /** Digits anywhere in the from or to number. */
  readonly number?: string;
  /** `YYYY-MM-DD`, inclusive, UTC (CDR times are UTC). */
  readonly dateFrom?: string;
  readonly dateTo?: string;
}

export interface HistoryQuery {
  readonly filter?: HistoryFilter;
  /** 1–200, default 50. */
  readonly limit?: number;
  readonly offset?: number;
}

export interface HistoryPage {
  readonly calls: readonly CallSummary[];
  readonly totalCount: number;
  readonly limit: number;
  readonly offset: number;
}

/**
 * How the shell delivered an export: a download link (browser mode), a file the user chose (Electron), or
 * nothing because the user closed the save dialog (not an error).
 */
export type CsvExport =
  | { readonly kind: 'download'; readonly href: string; readonly fileName: string }
  | { readonly kind: 'saved'; readonly path: string; readonly fileName: string }
  | { readonly kind: 'cancelled' };
