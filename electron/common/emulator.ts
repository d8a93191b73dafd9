// The embedded emulator as the Emulator view controls it: status, listeners, CA export, live calls, account
// editing, inbound test calls and its event feed. The host implements these once the emulator's call handling
// (sip-core/src/emulator, the Emulator class) is wired.

export type EmulatorRunState = 'stopped' | 'starting' | 'running' | 'stopping' | 'failed';

export interface EmulatorListener {
  readonly transport: 'udp' | 'tcp' | 'tls';
  readonly address: string;
  readonly port: number;
}

export interface EmulatorStatus {
  readonly state: EmulatorRunState;
  readonly listeners: readonly EmulatorListener[];
  /** Set when `failed`: why, in words a user can act on (a port in use names the port). */
  readonly problem?: string;
  readonly activeCalls: number;
}

export interface EmulatorLiveCall {
  readonly callUuid: string;
  readonly direction: 'inbound' | 'outbound';
  readonly from: string;
  readonly to: string;
  readonly state: string;
  readonly startedAtMs: number;
}

/** The account in Zentrunk's REST shape (trunks, origination_uris, credentials, ip_access_control_lists, …). */
export type EmulatorAccountDocument = Readonly<Record<string, unknown>>;

export interface EmulatorEvent {
  readonly atMs: number;
  /** `policy_decision`, `options_warning`, `cps_queued`, `call_started`, `call_ended`, `dtmf`, … */
  readonly kind: string;
  readonly callUuid?: string;
  readonly message: string;
  readonly detail?: Readonly<Record<string, string | number | boolean | null>>;
}

export interface InboundCallRequest {
  /** The DID the emulator "receives" (one of the account's numbers routed to an inbound trunk). */
  readonly to: string;
  readonly from: string;
}
