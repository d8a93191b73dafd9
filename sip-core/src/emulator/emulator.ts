// The embedded Zentrunk as a running server: the composition root of the emulator layer. It owns one SipStack with
// UDP, TCP and TLS listeners, the store (unless given one), the CDR recorder and trace collector, call admission,
// the far end, the media resources, and the registry of live calls; `stop()` ends every call (BYE with a cause,
// CDRs written) and closes all of it.
//
//   Emulator.start(config) ─► store, stack (observeParsed → trace collector), TLS material, listeners
//        │
//        ├─ requests ─► EmulatorTransactionUser ─► policy ─► OutboundCall / CallLeg / refusals (+ CDRs)
//        ├─ placeInboundCall ─► InboundCall (primary → fallback origination URI)
//        └─ events ─► the UI, the CLI (one line per call)
//
//   stop(): new requests get 503; every call ends (BYE / 503 / CANCEL, cause 5250); CDRs flushed; BYEs given a
//           moment to leave; stack, admission, timers and store closed.

import { MediaTaps, type MediaPacketListener } from './media/media-taps.js';
import type { SipTrace } from '../sip/trace/index.js';
import { randomBytes } from 'node:crypto';
import { systemClock, type Clock } from '../common/clock.js';
import type { Disposable } from '../common/disposable.js';
import { describeError } from '../common/errors.js';
import { TypedEmitter } from '../common/typed-emitter.js';
import { RtpPortAllocator, RtpSocketPool } from '../media/session/index.js';
import { viewOfAccount } from '../policy/index.js';
import { SipStack } from '../sip/stack/index.js';
import type { TransactionTimerSettings } from '../sip/transaction/index.js';
import type { ListenerInfo, SipTransportProtocol, TlsClientOptions } from '../sip/transport/index.js';
import { CdrWriteThread, defaultDatabasePath, StoreError, TrunklineStore } from '../store/index.js';
import { type CallLeg } from './calls/call-leg.js';
import { CallRegistry } from './calls/call-registry.js';
import { CdrWriter } from './calls/cdr-writer.js';
import type { EmulatorContext } from './calls/emulator-context.js';
import { CdrRecorder, SipTraceCollector, type SipTraceCollectorStats } from './cdr/index.js';
import type { EmulatorConfig } from './config/index.js';
import { EmulatorError } from './emulator-error.js';
import { errorEvent, stamped, type Endpoint, type EmulatorEvents } from './emulator-events.js';
import { EmulatorTransactionUser } from './emulator-transaction-user.js';
import { FarEndTable, type FarEndTableConfig, type MediaSource } from './far-end/index.js';
import { InboundCall, type InboundCallRequest, type InboundCallResult } from './inbound/inbound-call.js';
import { CallAdmission } from './limits/index.js';
import { emulatorTls, startListeners } from './listeners/emulator-listeners.js';
import { OptionsRateTracker } from './listeners/options-rate-tracker.js';
import { AudioSources } from './media/audio-sources.js';
import { DigestAuthenticator } from './outbound/digest-authenticator.js';
import { ReferTransfers } from './transfer/refer-transfers.js';
import { bracketHost, hostAndPort } from '../common/host-port.js';

/**
 * How long an ended call's CDR waits for others before its batch goes to the CDR writer thread (docs/adr/0158):
 * at 400 calls/s a batch per event-loop turn held one or two records, and the fixed cost of each hand-over (a
 * postMessage, waking the writer, a commit) took most of what the thread saved. The BYE's held 200
 * (docs/adr/0150) leaves this much later: nothing next to SIP's 500 ms T1.
 */
export const CDR_THREAD_BATCH_WINDOW_MS = 10;

export interface EmulatorStartOptions {
  /** Timers of SIP, media, CPS and the far end. Default: the system clock. */
  readonly clock?: Clock;
  /** Where the database and the TLS material live. Default: the config's `dataDir`. */
  readonly dataDir?: string;
  /**
   * A store to write CDRs to (left open by `stop`), written on this thread. Default: `<dataDir>/trunkline.sqlite3`,
   * opened for reading here and written by the CDR writer thread (docs/adr/0158), both closed by `stop`.
   */
  readonly store?: TrunklineStore;
  /** SIP timers T1, T2, T4 (tests shorten Timer B to exercise the fallback URI quickly). */
  readonly sipTimers?: Partial<TransactionTimerSettings>;
  /**
   * How inbound calls verify a PBX's TLS certificate. Default: not verified — PBXs rehearsing with the emulator
   * mostly present self-signed certificates, and whether Zentrunk verifies them is undocumented (§8, §18 #7).
   */
  readonly tlsClient?: TlsClientOptions;
  /** How long `stop()` waits for its BYEs and CANCELs to be answered. Default 2,000 ms. */
  readonly stopGraceMs?: number;
}

/** Where the emulator listens: one entry per transport that is on. */
export interface EmulatorAddresses {
  readonly udp?: Endpoint;
  readonly tcp?: Endpoint;
  readonly tls?: Endpoint;
}

export class Emulator implements Disposable {
  readonly config: EmulatorConfig;
  readonly events = new TypedEmitter<EmulatorEvents>();
  readonly store: TrunklineStore;
  /** The CA a PBX must trust for the TLS listener (PEM), when known. */
  readonly caCertificatePem: string | null;
  readonly #clock: Clock;
  readonly #stack: SipStack;
  readonly #mediaTaps = new MediaTaps();
  readonly #ownsStore: boolean;
  /** Writes the CDRs when the emulator opened the store itself; closed by `stop`. */
  readonly #cdrThread: CdrWriteThread | undefined;
  readonly #ctx: EmulatorContext;
  readonly #optionsRate: OptionsRateTracker;
  readonly #inbound: Set<InboundCall>;
  readonly #stopGraceMs: number;
  readonly #subscriptions: Disposable[] = [];
  #listeners: ListenerInfo[] = [];
  #creditUsedE5 = 0;
  #stopping: Promise<void> | undefined;

  private constructor(parts: {
    config: EmulatorConfig;
    clock: Clock;
    stack: SipStack;
    store: TrunklineStore;
    ownsStore: boolean;
    cdrThread: CdrWriteThread | undefined;
    caCertificatePem: string | null;
    stopGraceMs: number;
    sources: AudioSources;
  }) {
    const { config, clock, stack, store } = parts;
    this.config = config;
    this.#clock = clock;
    this.#stack = stack;
    this.store = store;
    this.#ownsStore = parts.ownsStore;
    this.#cdrThread = parts.cdrThread;
    this.caCertificatePem = parts.caCertificatePem;
    this.#stopGraceMs = parts.stopGraceMs;
    this.#inbound = new Set();
    const { account, settings } = config;

    const collector = new SipTraceCollector();
    this.#subscriptions.push(
      collector.startCompaction(clock),
      stack.observeParsed((record, message) =>
        message === undefined ? collector.observe(record) : collector.observeParsed(record, message),
      ),
    );
    const recorder = new CdrRecorder({
      store: parts.cdrThread ?? store,
      events: this.events,
      clock,
      context: { account, settings },
      collector,
    });
    const cdrs = new CdrWriter(
      recorder,
      clock,
      (cdr) => {
        this.#creditUsedE5 += Math.round(Number(cdr.total_amount) * 1e5);
      },
      parts.cdrThread === undefined ? 0 : CDR_THREAD_BATCH_WINDOW_MS,
    );
    const view = viewOfAccount(account, settings);
    const registry = new CallRegistry(() => clock.now(), 64 * stack.timers.t1Ms);
    this.#ctx = {
      clock,
      stack,
      events: this.events,
      account,
      settings,
      view,
      admission: new CallAdmission({ clock, account, events: this.events }),
      farEnd: new FarEndTable(config.farEnd),
      sources: parts.sources,
      rtpSockets: new RtpSocketPool({
        clock,
        allocator: new RtpPortAllocator({
          minPort: settings.mediaPortRange.min,
          maxPort: settings.mediaPortRange.max,
        }),
      }),
      mediaAddress: config.media.bindAddress,
      cdrs,
      registry,
      collector,
      mediaTaps: this.#mediaTaps,
      contactFor: (transport, user) => this.#contactFor(transport, user),
      creditBalanceUsd: () => account.limits.credit_balance_usd - this.#creditUsedE5 / 1e5,
    };
    this.#optionsRate = new OptionsRateTracker(clock, settings, this.events);
    const transfers = new ReferTransfers(this.#ctx);
    const tu = new EmulatorTransactionUser(this.#ctx, {
      digest: new DigestAuthenticator(clock, account, settings),
      optionsRate: this.#optionsRate,
      ownSentBys: () => this.#ownSentBys(),
      onLeg: (leg) => transfers.attach(leg),
      strayResponse: (response) => {
        for (const call of this.#inbound) if (call.onStrayResponse(response)) return true;
        return false;
      },
      stopping: () => this.#stopping !== undefined,
    });
    this.#inboundLegHook = (leg) => transfers.attach(leg);
    stack.setTransactionUser(tu);
  }

  readonly #inboundLegHook: (leg: CallLeg) => void;

  /**
   * Starts an emulator for `config`: opens the store, makes or loads the TLS material, decodes the far end's WAV
   * files and binds the listeners. Rejects (closing whatever it opened) with EMULATOR_LISTEN_FAILED, a store
   * error, a TLS error or a WAV error, each saying what to do.
   */
  static async start(config: EmulatorConfig, options: EmulatorStartOptions = {}): Promise<Emulator> {
    const clock = options.clock ?? systemClock;
    const dataDir = options.dataDir ?? config.dataDir;
    const sources = new AudioSources();
    await sources.load(mediaOf(config.farEnd));
    const tls = config.listen.tls === null ? undefined : await emulatorTls(config, dataDir, clock);
    const store = options.store ?? TrunklineStore.open({ path: defaultDatabasePath(dataDir), clock });
    let cdrThread: CdrWriteThread | undefined;
    /** Set once the emulator exists: how the thread's death is reported (an `error` event). */
    const fallback: { report?: (error: StoreError) => void } = {};
    if (options.store === undefined) {
      try {
        // After the open above: the file exists and is migrated when the thread opens its own connection. Should
        // the thread die, the emulator's own connection writes the CDRs from then on (on this thread, slower).
        cdrThread = await CdrWriteThread.start({
          path: store.path,
          fallback: store,
          onFallback: (error) => fallback.report?.(error),
        });
      } catch (error) {
        store.close();
        throw error;
      }
    }
    const stack = new SipStack({
      clock,
      acceptability: false,
      warnAgent: 'zentrunk',
      ...(options.sipTimers ? { timers: options.sipTimers } : {}),
      transport: {
        // A server at thousands of calls per second needs more than the OS default to ride out GC pauses.
        udpBufferBytes: 4 * 1024 * 1024,
        // Zentrunk's INVITE to a PBX (§5.2) carries a dozen capability headers; with the digest answer of §5.3 it
        // passes RFC 3261 §18.1.1's 1300 bytes, and the origination URI decides the transport (UDP), so the
        // limit is the largest unfragmented datagram on Ethernet instead.
        udpMaxMessageBytes: 1472,
        tls: options.tlsClient ?? { rejectUnauthorized: false },
      },
    });
    const emulator = new Emulator({
      config,
      clock,
      stack,
      store,
      ownsStore: options.store === undefined,
      cdrThread,
      caCertificatePem: tls?.caCertificatePem ?? null,
      stopGraceMs: options.stopGraceMs ?? 2_000,
      sources,
    });
    fallback.report = (error) =>
      emulator.events.emit(
        'error',
        errorEvent(
          clock,
          'cdr-write-failed',
          new StoreError(error.code, `${error.message} The CDRs are now written on the main thread.`),
        ),
      );
    try {
      emulator.#listeners = await startListeners(stack, config, tls);
    } catch (error) {
      await emulator.#close();
      throw error;
    }
    for (const listener of emulator.#listeners) emulator.#emitListener(listener, 'up');
    return emulator;
  }

  /** The bound listeners (actual ports, also when the config said 0). */
  addresses(): EmulatorAddresses {
    const out: { udp?: Endpoint; tcp?: Endpoint; tls?: Endpoint } = {};
    for (const listener of this.#listeners) {
      out[listener.transport] = { address: listener.local.address, port: listener.local.port };
    }
    return out;
  }

  /**
   * The operating-system ids of the threads besides the main one that a SIP answer waits for: the CDR writer's (the
   * 200 to a BYE follows its commit, docs/adr/0150). Whoever lowers the process's helper threads keeps these at
   * the main thread's priority (docs/adr/0166). Empty when the emulator has no writer thread or the OS has no ids.
   */
  get responsePathThreadIds(): readonly number[] {
    const id = this.#cdrThread?.osThreadId;
    return id === undefined ? [] : [id];
  }

  /** @internal For tests: the CDR writer thread, when the emulator opened its own database (docs/adr/0158). */
  get cdrWriteThreadForTest(): CdrWriteThread | undefined {
    return this.#cdrThread;
  }

  /** @internal For tests: the calls up now, as the emulator tracks them (to watch one be let go when it ends). */
  get liveCallsForTest(): readonly object[] {
    return this.#ctx.registry.calls();
  }

  /** Calls up now, and the media sessions running (for diagnostics and the memory measurement). */
  get activeCalls(): number {
    return this.#ctx.registry.size;
  }

  /** Every SIP message the emulator sends and receives, as it happens (`trunkline emulator --pcap`). */
  get sipTrace(): SipTrace {
    return this.#stack.trace;
  }

  /** What the CDRs' trace collector holds now (calls, bytes) and has seen, for diagnostics and tests. */
  get sipTraceStats(): SipTraceCollectorStats {
    return this.#ctx.collector.stats;
  }

  /**
   * Observes the RTP and RTCP of every far-end media session that goes live from now on (SRTP as decrypted, each
   * record flagged): with `sipTrace`, what a PCAP of the whole emulator session needs (diagnostics'
   * `PcapRecorder.recordMedia(emulator)`).
   */
  tapPackets(listener: MediaPacketListener): Disposable {
    return this.#mediaTaps.add(listener);
  }

  /** The SIP stack's counters (parse errors, TU errors …), for diagnostics and tests. */
  get sipCounters(): SipStack['counters'] {
    return this.#stack.counters;
  }

  /**
   * "A PSTN call from `from` to the DID `to`" (§5): routed by the DID's inbound trunk to its primary origination
   * URI, failing over to the fallback (§20). Resolves when the PBX answered or the call failed; the call then
   * goes on until either side hangs up (`hangupAfterMs`, or the PBX's BYE).
   */
  async placeInboundCall(request: InboundCallRequest): Promise<InboundCallResult> {
    if (this.#stopping)
      throw new EmulatorError('EMULATOR_STOPPED', 'The emulator is stopping; start it again to place calls.');
    const media: MediaSource = request.media ?? {
      kind: 'tone',
      tones: [{ frequencyHz: 1004, levelDbfs: -16 }],
      cadence: null,
    };
    try {
      await this.#ctx.sources.load([media]);
    } catch (error) {
      throw new EmulatorError(
        'EMULATOR_INVALID_CALL',
        `Cannot play ${media.kind === 'wav' ? media.file : media.kind}: ${describeError(error)}`,
        { cause: error },
      );
    }
    const call = new InboundCall(this.#ctx, { ...request, media }, this.#inboundLegHook);
    this.#inbound.add(call);
    void call.done.then(() => this.#inbound.delete(call));
    return call.start();
  }

  /**
   * Ends every call (answered: BYE with `X-ZT-Hangup-Code: 5250`; ringing: 503; inbound attempts: CANCEL), writes
   * their CDRs, lets the BYEs leave, and closes the listeners, timers and the store it opened. Idempotent.
   */
  stop(): Promise<void> {
    this.#stopping ??= this.#stop();
    return this.#stopping;
  }

  dispose(): void {
    void this.stop();
  }

  async #stop(): Promise<void> {
    for (const call of this.#inbound) call.shutdown();
    for (const call of this.#ctx.registry.calls()) {
      try {
        call.shutdown();
      } catch (error) {
        this.events.emit('error', errorEvent(this.#clock, 'internal', error, call.callUuid));
      }
    }
    await this.#ctx.cdrs.flush();
    const pending = this.#ctx.registry.pending();
    if (pending.length > 0) {
      let timer: ReturnType<Clock['setTimeout']> | undefined;
      await Promise.race([
        Promise.all(pending),
        new Promise<void>((resolve) => (timer = this.#clock.setTimeout(resolve, this.#stopGraceMs))),
      ]);
      this.#clock.clearTimeout(timer);
    }
    await this.#ctx.cdrs.flush();
    await this.#close();
    for (const listener of this.#listeners) this.#emitListener(listener, 'down');
  }

  async #close(): Promise<void> {
    for (const subscription of this.#subscriptions.splice(0)) subscription.dispose();
    this.#optionsRate.dispose();
    this.#ctx.admission.dispose();
    await this.#stack.close();
    // Calls' media still closing after this closes its socket at once.
    this.#ctx.rtpSockets.close();
    await this.#cdrThread?.close();
    if (this.#ownsStore) this.store.close();
  }

  #emitListener(listener: ListenerInfo, state: 'up' | 'down'): void {
    this.events.emit(
      'listener',
      stamped(this.#clock, {
        state,
        transport: listener.transport,
        local: { address: listener.local.address, port: listener.local.port },
      }),
    );
  }

  #ownSentBys(): ReadonlySet<string> {
    return new Set(this.#listeners.map((l) => hostAndPort(l.local.address, l.local.port).toLowerCase()));
  }

  #contactFor(transport: SipTransportProtocol, user: string): string {
    const listener = this.#listeners.find((l) => l.transport === transport) ?? this.#listeners[0];
    const host = bracketHost(listener?.local.address ?? this.config.listen.host);
    const port = listener?.local.port ?? 5060;
    return `sip:${user}@${host}:${port}${transport === 'udp' ? '' : `;transport=${transport}`}`;
  }
}

/** Every media source a far-end table plays (to decode its WAVs at start). */
function mediaOf(table: FarEndTableConfig): MediaSource[] {
  const scenarios = [table.default, ...table.numbers.map((entry) => entry.scenario)];
  const out: MediaSource[] = [];
  for (const scenario of scenarios) {
    if (scenario.kind === 'answer') out.push(scenario.media);
    if (scenario.earlyMedia) out.push(scenario.earlyMedia.media);
  }
  return out;
}

/** A random token for topology-hiding Contact user parts. */
export function randomContactUser(): string {
  return `btpsh-${randomBytes(6).toString('hex')}`;
}
