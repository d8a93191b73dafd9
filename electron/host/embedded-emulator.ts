// The embedded emulator as the host runs it: the app's default target (issue 6, "the app opens … with the
// emulator running"). It wraps sip-core's `Emulator` with the lifetime the Emulator view controls (start, stop,
// a failure that is a state and not a crash), listens on 127.0.0.1 with ports the OS picks (port 0, so two
// copies of the app or a CLI emulator on 5060 never collide), and writes CDRs into the host's own store so its
// calls appear in History.
//
//   stopped ──start()──► starting ──► running ──stop()──► stopping ──► stopped
//                            │                                 ▲
//                            └──► failed ──start()─────────────┘ (a retry goes through starting again)
//
// It turns the emulator's typed events into the contract's `EmulatorEvent` (one sentence each) and keeps the
// live calls and the most recent events, so a window that opens late still sees them.

import {
  Emulator,
  describeError,
  loadEmulatorConfigOrThrow,
  parseEmulatorConfig,
  type Clock,
  type EmulatorConfig,
  type EmulatorEvents,
  type TrunklineStore,
} from '../../sip-core/src/index.js';
import type {
  EmulatorAccountDocument,
  EmulatorEvent,
  EmulatorListener,
  EmulatorLiveCall,
  EmulatorRunState,
  EmulatorStatus,
} from '../common/index.js';
import { accountDocument, type EmulatorAccountInput } from './emulator-account-document.js';

/** How many events `recentEvents` keeps; older ones are in the CDRs and their SIP traces. */
export const RECENT_EVENTS_LIMIT = 500;

export interface EmbeddedEmulatorOptions {
  readonly dataDir: string;
  readonly store: TrunklineStore;
  readonly clock: Clock;
  readonly onStatus: (status: EmulatorStatus) => void;
  readonly onEvent: (event: EmulatorEvent) => void;
  /** A CDR was committed: History refreshes. */
  readonly onCdrWritten: (callUuid: string) => void;
  /** The edited account to serve at the next start (emulator-account-file.ts); undefined serves the demo. */
  readonly accountInput?: () => EmulatorAccountInput | undefined;
}

export class EmbeddedEmulator {
  readonly #options: EmbeddedEmulatorOptions;
  readonly #liveCalls = new Map<string, EmulatorLiveCall>();
  readonly #recent: EmulatorEvent[] = [];
  #state: EmulatorRunState = 'stopped';
  #problem: string | undefined;
  #emulator: Emulator | undefined;
  /** The start or stop in progress; commands queue behind it so they never interleave. */
  #transition: Promise<void> = Promise.resolve();

  constructor(options: EmbeddedEmulatorOptions) {
    this.#options = options;
  }

  status(): EmulatorStatus {
    return {
      state: this.#state,
      listeners: this.#listeners(),
      ...(this.#problem !== undefined ? { problem: this.#problem } : {}),
      activeCalls: this.#emulator?.activeCalls ?? 0,
    };
  }

  /** The UDP listener the emulator profile dials, when running. */
  udpListener(): EmulatorListener | undefined {
    return this.#listeners().find((l) => l.transport === 'udp');
  }

  liveCalls(): EmulatorLiveCall[] {
    return [...this.#liveCalls.values()];
  }

  recentEvents(limit: number): EmulatorEvent[] {
    return this.#recent.slice(-limit);
  }

  caCertificatePem(): string | undefined {
    return this.#emulator?.caCertificatePem ?? undefined;
  }

  /**
   * The account it serves as the editor's document (emulator-account-document.ts): Zentrunk's REST shape plus
   * `settings`, `far_end` and `far_end_numbers`; passwords masked except the public demo ones. Undefined until it
   * has started once.
   */
  account(): EmulatorAccountDocument | undefined {
    const config = this.#emulator?.config;
    return config === undefined ? undefined : accountDocument(config);
  }

  /** The configuration it runs with, when running. */
  config(): EmulatorConfig | undefined {
    return this.#emulator?.config;
  }

  running(): Emulator | undefined {
    return this.#state === 'running' ? this.#emulator : undefined;
  }

  /** Starts it (a no-op when running); never rejects: a failure is the `failed` state with its reason. */
  start(): Promise<EmulatorStatus> {
    return this.#queue(async () => {
      if (this.#state === 'running') return;
      this.#setState('starting');
      try {
        const config = this.#loadConfig();
        const emulator = await Emulator.start(config, {
          clock: this.#options.clock,
          dataDir: this.#options.dataDir,
          store: this.#options.store,
        });
        this.#emulator = emulator;
        this.#subscribe(emulator);
        this.#problem = undefined;
        this.#setState('running');
      } catch (error) {
        this.#emulator = undefined;
        this.#problem = `The embedded emulator could not start: ${describeError(error)}`;
        this.#setState('failed');
      }
    });
  }

  /** Ends every call (their CDRs are written) and closes the listeners; never rejects. */
  stop(): Promise<EmulatorStatus> {
    return this.#queue(async () => {
      const emulator = this.#emulator;
      if (emulator === undefined) {
        if (this.#state !== 'failed') this.#setState('stopped');
        return;
      }
      this.#setState('stopping');
      try {
        await emulator.stop();
      } catch (error) {
        this.#problem = `The embedded emulator did not stop cleanly: ${describeError(error)}`;
      }
      emulator.events.removeAllListeners();
      this.#emulator = undefined;
      this.#liveCalls.clear();
      this.#setState('stopped');
    });
  }

  /**
   * Stops it and starts it again with the account saved since (its calls end with 5250, CDRs written); when it
   * is not running, nothing starts and the account applies at the next start.
   */
  async restart(): Promise<EmulatorStatus> {
    const before = await this.settled();
    if (before.state !== 'running') return before;
    await this.stop();
    return this.start();
  }

  /** The status once every queued start and stop has finished. */
  settled(): Promise<EmulatorStatus> {
    return this.#transition.then(() => this.status());
  }

  #loadConfig(): EmulatorConfig {
    const overrides = {
      dataDir: this.#options.dataDir,
      listen: { host: '127.0.0.1', udp: 0, tcp: 0, tls: 0 },
    };
    const input = this.#options.accountInput?.();
    if (input === undefined) return loadEmulatorConfigOrThrow({ overrides });
    const parsed = parseEmulatorConfig(
      { account: input.account, settings: input.settings, farEnd: input.farEnd },
      { baseDir: this.#options.dataDir, source: { kind: 'built-in' }, overrides },
    );
    if (!parsed.ok) {
      const first = parsed.issues[0];
      throw new Error(`the saved account is not valid (${first?.path ?? ''}: ${first?.message ?? ''})`);
    }
    return parsed.value;
  }

  #queue(step: () => Promise<void>): Promise<EmulatorStatus> {
    const next = this.#transition.then(step);
    this.#transition = next;
    return next.then(() => this.status());
  }

  #listeners(): EmulatorListener[] {
    if (this.#state !== 'running' || this.#emulator === undefined) return [];
    const addresses = this.#emulator.addresses();
    const listeners: EmulatorListener[] = [];
    for (const transport of ['udp', 'tcp', 'tls'] as const) {
      const endpoint = addresses[transport];
      if (endpoint) listeners.push({ transport, address: endpoint.address, port: endpoint.port });
    }
    return listeners;
  }

  #setState(state: EmulatorRunState): void {
    this.#state = state;
    this.#options.onStatus(this.status());
  }

  #record(event: EmulatorEvent): void {
    this.#recent.push(event);
    if (this.#recent.length > RECENT_EVENTS_LIMIT)
      this.#recent.splice(0, this.#recent.length - RECENT_EVENTS_LIMIT);
    this.#options.onEvent(event);
  }

  #subscribe(emulator: Emulator): void {
    const events = emulator.events;
    const on = <K extends keyof EmulatorEvents>(
      name: K,
      map: (...args: Parameters<EmulatorEvents[K]>) => EmulatorEvent,
    ) =>
      events.on(name, ((...args: Parameters<EmulatorEvents[K]>) =>
        this.#record(map(...args))) as EmulatorEvents[K]);

    on('callState', (e) => {
      if (e.state === 'ended') this.#liveCalls.delete(e.callUuid);
      else {
        const known = this.#liveCalls.get(e.callUuid);
        this.#liveCalls.set(e.callUuid, {
          callUuid: e.callUuid,
          direction: e.direction,
          from: e.from,
          to: e.to,
          state: e.state,
          startedAtMs: known?.startedAtMs ?? e.wallTimeMs,
        });
      }
      const cause = e.cause ? ` (${e.cause.code} ${e.cause.causeName})` : '';
      return {
        atMs: e.wallTimeMs,
        kind: 'call_state',
        callUuid: e.callUuid,
        message: `${e.direction} call ${e.from} → ${e.to}: ${e.state}${e.sipStatus ? ` ${e.sipStatus}` : ''}${cause}`,
        detail: { state: e.state, direction: e.direction, sipStatus: e.sipStatus ?? null },
      };
    });
    on('policyDecision', (e) => ({
      atMs: e.wallTimeMs,
      kind: 'policy_decision',
      message:
        `${e.method} from ${e.source.address}:${e.source.port} over ${e.transport}: ${e.decision}` +
        (e.status ? ` ${e.status}` : '') +
        (e.cause ? ` (${e.cause.code} ${e.cause.causeName})` : '') +
        (e.explanation ? ` — ${e.explanation}` : ''),
      detail: {
        decision: e.decision,
        method: e.method,
        status: e.status ?? null,
        ruleId: e.rule?.ruleId ?? null,
        section: e.rule?.section ?? null,
      },
    }));
    on('optionsRate', (e) => ({
      atMs: e.wallTimeMs,
      kind: 'options_warning',
      message: `OPTIONS from ${e.source.address}:${e.source.port}: ${e.state} — ${e.detail}`,
      detail: { state: e.state, trunkId: e.trunkId },
    }));
    on('cpsQueue', (e) => ({
      atMs: e.wallTimeMs,
      kind: 'cps_queued',
      callUuid: e.callKey,
      message: `Account CPS queue: ${e.state} after ${e.waitedMs} ms (${e.queueLength} waiting, at most ${e.maxWaitMs} ms)`,
      detail: { state: e.state, waitedMs: e.waitedMs, queueLength: e.queueLength },
    }));
    on('dtmf', (e) => ({
      atMs: e.wallTimeMs,
      kind: 'dtmf',
      callUuid: e.callUuid,
      message: `DTMF ${e.digit} (${e.durationMs} ms)`,
      detail: { digit: e.digit, durationMs: e.durationMs },
    }));
    on('transfer', (e) => ({
      atMs: e.wallTimeMs,
      kind: 'transfer',
      callUuid: e.callUuid,
      message: `Transfer to ${e.referTo}: ${e.stage} — ${e.detail}`,
      detail: { stage: e.stage, sipStatus: e.sipStatus ?? null },
    }));
    on('inboundCall', (e) => ({
      atMs: e.wallTimeMs,
      kind: 'inbound_call',
      callUuid: e.callUuid,
      message:
        `Inbound ${e.from} → ${e.did} via ${e.leg} ${e.uri}: ${e.stage}${e.sipStatus ? ` ${e.sipStatus}` : ''}` +
        (e.cause ? ` (${e.cause.code} ${e.cause.causeName})` : ''),
      detail: {
        stage: e.stage,
        leg: e.leg,
        sipStatus: e.sipStatus ?? null,
        causeCode: e.cause?.code ?? null,
        causeName: e.cause?.causeName ?? null,
      },
    }));
    on('cdrWritten', (e) => {
      // The event is recorded first, then History is told: its refresh then finds the row.
      queueMicrotask(() => this.#options.onCdrWritten(e.callUuid));
      return {
        atMs: e.wallTimeMs,
        kind: 'cdr_written',
        callUuid: e.callUuid,
        message: `CDR written: ${e.direction}, ${e.hangupCauseCode} ${e.hangupCauseName} (${e.hangupSource}), ${e.billDurationS} s billed`,
        detail: { hangupCauseCode: e.hangupCauseCode, billDurationS: e.billDurationS },
      };
    });
    on('listener', (e) => ({
      atMs: e.wallTimeMs,
      kind: 'listener',
      message: `${e.transport.toUpperCase()} listener ${e.local.address}:${e.local.port} ${e.state}${e.error ? `: ${e.error}` : ''}`,
      detail: { transport: e.transport, port: e.local.port, state: e.state },
    }));
    on('error', (e) => ({
      atMs: e.wallTimeMs,
      kind: 'error',
      ...(e.callUuid !== undefined ? { callUuid: e.callUuid } : {}),
      message: e.message,
      detail: { kind: e.kind, code: e.code },
    }));
  }
}
