// PhoneService: the one implementation of the PhoneApi contract (ARCHITECTURE.md, "one host, two shells"). Node
// only, never `electron`: the Electron main process and the browser-mode web shell both hold one and forward
// commands and events to it. It owns the call store, the settings and the embedded emulator (started on open,
// the default target, writing into the same store); the UA joins it when it lands (unavailable.ts lists the
// commands waiting for it).
//
// Every command goes through `handle`, which never throws: the parameters are validated (they may come from a
// WebSocket), the handler runs, and any failure becomes an `ApiResult` error with a stable code.

import { randomUUID } from 'node:crypto';
import { mkdirSync } from 'node:fs';
import { z } from 'zod';
import {
  StoreError,
  TrunklineError,
  TrunklineStore,
  TypedEmitter,
  defaultDatabasePath,
  demoAccount,
  describeError,
  emulatorAccountFacts,
  moveDatabaseAside,
  parseExplainQuery,
  predictOutbound,
  explainHangup,
  systemClock,
  toDisposable,
  DisposableStore,
  type Account,
  type Clock,
  type Disposable,
} from '../../sip-core/src/index.js';
import {
  PHONE_API_VERSION,
  isCommandName,
  type ApiError,
  type ApiResult,
  type AppInfo,
  type AudioFrame,
  type CommandName,
  type CommandParams,
  type CommandResult,
  type CsvExport,
  type EmulatorStatus,
  type EventMessage,
  type EventName,
  type ParamsArgs,
  type PhoneApiEvents,
  type Settings,
  type TrunkProfile,
} from '../common/index.js';
import { causeView } from './call-diagnosis.js';
import { ChecksService, CHECKS_PARAMS, type ChecksServiceOptions } from './checks-service.js';
import { checkCallEnvironment } from './check-call-environment.js';
import { checkTargetForProfile } from './check-target-for-profile.js';
import { CommandError, noExportDelivery } from './command-error.js';
import { evidenceHandlers } from './call-evidence-commands.js';
import { CallEvidenceStore, DEFAULT_MAX_TOTAL_BYTES } from './call-evidence-store.js';
import { diagnoseCall } from './call-diagnosis.js';
import { EMULATOR_PROFILE_ID } from './default-settings.js';
import { EmbeddedEmulator, RECENT_EVENTS_LIMIT } from './embedded-emulator.js';
import type { LatencyTap } from './latency-tap.js';
import { callerIdsOf } from './emulator-account-document.js';
import { AccountCommandError, EmulatorAccountEditor } from './emulator-account-editor.js';
import {
  DEFAULT_HISTORY_LIMIT,
  csvFileName,
  historyFilterSchema,
  historyQuerySchema,
  toCallSummary,
  toCdrFilter,
} from './history-mapping.js';
import { classifyForDialField } from './number-hints.js';
import { FileSecretStore, type SecretStore } from './secret-store.js';
import { CALL_COMMAND_PARAMS, CallCommandError, SoftphoneCalls } from './softphone-calls.js';
import { softphoneProfile } from './softphone-profile.js';
import { loadSettings, saveSettings } from './settings-file.js';
import { profileInputSchema, settingsPatchSchema } from './settings-schema.js';
import {
  UNAVAILABLE_COMMANDS,
  featureAvailability,
  unavailableError,
  type UnavailableCommand,
} from './unavailable.js';

/** How a shell hands a generated file to the user: a download link, or a save dialog. */
export interface ExportDelivery {
  /** Text (CSV) arrives as strings, binary files (PCAP) as bytes. */
  deliver(
    fileName: string,
    contentType: string,
    chunks: () => Iterable<string | Uint8Array>,
  ): Promise<CsvExport>;
}

export type HostLogLevel = 'info' | 'warn' | 'error';

export interface PhoneServiceOptions {
  readonly dataDir: string;
  readonly shell: 'electron' | 'browser';
  readonly appVersion: string;
  /** Default: a 0600 file in the data folder (browser mode). Electron passes its safeStorage store. */
  readonly secrets?: SecretStore;
  /** Default: exports are unavailable (a shell that can deliver files passes one). */
  readonly exports?: ExportDelivery;
  readonly clock?: Clock;
  /** Where the host's own diagnostics go (never secrets). Default: nowhere. */
  readonly log?: (level: HostLogLevel, message: string) => void;
  /**
   * Start the embedded emulator on open (issue 6: the default target). Default true; the user's
   * `emulatorStartsOnOpen: false` setting also keeps it stopped.
   */
  readonly startEmulator?: boolean;
  /** Tests pin the checks' local SIP address or shorten T1 (checks-service.ts). */
  readonly checkRunner?: ChecksServiceOptions['runner'];
  /** bench:app's per-stage latency tap (ADR 0149); absent in normal use, where nothing is tapped. */
  readonly latencyTap?: LatencyTap;
}

interface ServiceEvents {
  event: (message: EventMessage) => void;
}

type ImplementedCommand = Exclude<CommandName, UnavailableCommand>;
type Handler<C extends CommandName> = (
  params: CommandParams<C>,
) => CommandResult<C> | Promise<CommandResult<C>>;

const noParams = z
  .undefined()
  .or(z.null())
  .transform(() => undefined);
const profileRef = z.object({ profileId: z.string().min(1).max(64) }).strict();
const dialRequest = z
  .object({
    profileId: z.string().min(1).max(64),
    destination: z.string().max(64),
    callerId: z.string().max(64).optional(),
  })
  .strict();

/** Each implemented command's parameter schema: what arrives over a socket is checked before a handler sees it. */
const PARAMS: { readonly [C in ImplementedCommand]: z.ZodType } = {
  'app.info': noParams,
  'settings.get': noParams,
  'settings.update': settingsPatchSchema,
  'profiles.list': noParams,
  'profiles.save': profileInputSchema,
  'profiles.delete': profileRef,
  'profiles.setPassword': z
    .object({ profileId: z.string().min(1).max(64), password: z.string().min(1).max(256) })
    .strict(),
  'numbers.classify': z
    .object({ number: z.string().max(64), profileId: z.string().max(64).optional() })
    .strict(),
  'calls.predict': dialRequest,
  'history.list': historyQuerySchema.or(noParams),
  'history.exportCsv': z.object({ filter: historyFilterSchema.optional() }).strict().or(noParams),
  'diagnosis.get': z.object({ callUuid: z.string().min(1).max(128) }).strict(),
  'diagnosis.explain': z.object({ query: z.string().max(64) }).strict(),
  'diagnosis.exportPcap': z.object({ callUuid: z.string().min(1).max(128) }).strict(),
  'diagnosis.getCapture': z.object({ callUuid: z.string().min(1).max(128) }).strict(),
  'diagnosis.deleteCapture': z.object({ callUuid: z.string().min(1).max(128) }).strict(),
  'emulator.status': noParams,
  'emulator.start': noParams,
  'emulator.stop': noParams,
  'emulator.exportCa': noParams,
  'emulator.liveCalls': noParams,
  'emulator.getAccount': noParams,
  'emulator.saveAccount': z.record(z.string(), z.unknown()),
  'emulator.resetAccount': noParams,
  'emulator.placeInbound': z
    .object({ to: z.string().min(1).max(64), from: z.string().min(1).max(64) })
    .strict(),
  ...CALL_COMMAND_PARAMS,
  'emulator.recentEvents': z
    .object({ limit: z.number().int().min(1).max(RECENT_EVENTS_LIMIT).optional() })
    .strict()
    .or(noParams),
  ...CHECKS_PARAMS,
};

const SECRET_KEY_PREFIX = 'sip-password:';

export class PhoneService implements Disposable {
  readonly dataDir: string;
  readonly #options: PhoneServiceOptions;
  readonly #clock: Clock;
  readonly #secrets: SecretStore;
  readonly #events = new TypedEmitter<ServiceEvents>();
  /** Start-up problems every new subscriber hears about (a browser tab may connect long after start). */
  readonly #sticky: EventMessage[] = [];
  readonly #handlers: { readonly [C in ImplementedCommand]: Handler<C> };
  #store: TrunklineStore;
  readonly #emulator: EmbeddedEmulator;
  readonly #checks: ChecksService;
  readonly #accountEditor: EmulatorAccountEditor;
  readonly #softphone: SoftphoneCalls;
  /** Per softphone call: PCAP, local audio capture and DTMF markers (`attach` once per call). */
  readonly callEvidence: CallEvidenceStore;
  #settings: Settings;
  #account: Account | undefined;
  #disposed = false;
  #closed: Promise<void> = Promise.resolve();
  #emulatorLatencyTap: Disposable | undefined;
  readonly #latencyTaps = new DisposableStore();

  private constructor(options: PhoneServiceOptions) {
    this.#options = options;
    this.dataDir = options.dataDir;
    this.#clock = options.clock ?? systemClock;
    mkdirSync(options.dataDir, { recursive: true, mode: 0o700 });
    this.#secrets = options.secrets ?? new FileSecretStore(options.dataDir);
    const loaded = loadSettings(options.dataDir, this.#clock.wallNow());
    this.#settings = this.#withPasswordFlags(loaded.settings);
    if (loaded.recovery) {
      this.#log('warn', loaded.recovery.message);
      this.#sticky.push({ type: 'event', event: 'settings.recovered', payload: loaded.recovery });
    }
    this.#store = this.#openStore();
    this.callEvidence = CallEvidenceStore.open({
      dataDir: options.dataDir,
      clock: this.#clock,
      application: `Trunkline ${options.appVersion}`,
      maxTotalBytes: () =>
        this.#settings.captureMaxTotalMb === undefined
          ? DEFAULT_MAX_TOTAL_BYTES
          : this.#settings.captureMaxTotalMb * 1024 * 1024,
      log: (level, message) => this.#log(level, message),
    });
    this.#softphone = new SoftphoneCalls({
      clock: this.#clock,
      // Every softphone call's PCAP, local capture and DTMF markers (ADR 0104), under the id its CDR gets.
      attach: (callId, call, ua) => {
        const evidence = this.callEvidence.attach(callId, call, ua);
        const tap = options.latencyTap;
        if (tap === undefined) return evidence;
        const tapped = call.tapPackets(tap.onCallPacket);
        return toDisposable(() => {
          tapped.dispose();
          evidence?.dispose();
        });
      },
      watchUserAgent: (ua) => this.callEvidence.watch(ua),
      store: { recordCallEnd: (cdr, trace) => this.#store.recordCallEnd(cdr, trace) },
      resolveProfile: (profileId) => this.#softphoneProfile(profileId),
      emit: (event, payload) => this.#emit(event, payload),
      log: (level, message) => this.#log(level, message),
    });
    if (options.latencyTap !== undefined) {
      this.#latencyTaps.add(this.#softphone.onAudio((frame) => options.latencyTap?.onPlayout(frame.samples)));
    }
    this.#handlers = this.#createHandlers();
    this.#accountEditor = new EmulatorAccountEditor({
      dataDir: options.dataDir,
      clock: this.#clock,
      onEvent: (event) => this.#emit('emulator.event', event),
      log: (level, message) => this.#log(level, message),
    });
    const accountProblem = this.#accountEditor.loadOnStart();
    if (accountProblem !== undefined) {
      this.#sticky.push({
        type: 'event',
        event: 'host.notice',
        payload: { level: 'warning', code: 'emulator_account_unusable', message: accountProblem },
      });
    }
    this.#emulator = new EmbeddedEmulator({
      accountInput: () => this.#accountEditor.input(),
      dataDir: options.dataDir,
      store: this.#store,
      clock: this.#clock,
      onStatus: (status) => this.#onEmulatorStatus(status),
      onEvent: (event) => this.#emit('emulator.event', event),
      onCdrWritten: (callUuid) => this.#emit('history.recorded', { callUuid }),
    });
    this.#checks = new ChecksService({
      store: () => this.#store,
      clock: this.#clock,
      appVersion: options.appVersion,
      exports: options.exports,
      emit: (event, payload) => this.#emit(event, payload),
      log: (level, message) => this.#log(level, message),
      profile: (profileId) => this.#profile(profileId ?? this.#settings.selectedProfileId),
      target: (profile, testNumber) =>
        checkTargetForProfile(profile, testNumber, {
          emulatorUdp: this.#emulator.running() === undefined ? undefined : this.#emulator.udpListener(),
          password: (profileId) => this.#secrets.get(SECRET_KEY_PREFIX + profileId),
        }),
      callEnvironment: (profile) =>
        checkCallEnvironment(profile, {
          clock: this.#clock,
          password: (profileId) => this.#secrets.get(SECRET_KEY_PREFIX + profileId),
          emulator: () => this.#emulator.running(),
          log: (message) => this.#log('warn', message),
        }),
      emulatorAccount: () => {
        const running = this.#emulator.running();
        return running === undefined ? undefined : emulatorAccountFacts(running);
      },
      ...(options.checkRunner !== undefined ? { runner: options.checkRunner } : {}),
    });
    if ((options.startEmulator ?? true) && this.#settings.emulatorStartsOnOpen !== false) {
      void this.#emulator.start();
    }
  }

  /** Opens the data folder (created when missing): settings, secrets and the call store. */
  static open(options: PhoneServiceOptions): PhoneService {
    return new PhoneService(options);
  }

  /** Runs a command from any shell: validates the name and the parameters; never throws. */
  async handle(command: unknown, params: unknown): Promise<ApiResult<unknown>> {
    if (!isCommandName(command)) {
      return failure({
        code: 'unknown_command',
        message: `The command ${JSON.stringify(String(command).slice(0, 64))} is not part of PhoneApi version ${PHONE_API_VERSION}. Update the app so that its window and its host match.`,
      });
    }
    if (this.#disposed) {
      return failure({ code: 'unavailable', message: 'Trunkline is shutting down.', missing: 'host' });
    }
    if (command in UNAVAILABLE_COMMANDS) {
      return failure(unavailableError(UNAVAILABLE_COMMANDS[command as UnavailableCommand]));
    }
    const implemented: ImplementedCommand = command;
    const parsed = PARAMS[implemented].safeParse(params);
    if (!parsed.success) {
      return failure({
        code: 'invalid_params',
        message: `The request for ${command} is not valid: ${parsed.error.issues
          .slice(0, 3)
          .map((i) => `${i.path.join('.') || 'parameters'}: ${i.message}`)
          .join('; ')}.`,
        issues: parsed.error.issues.map((i) => ({ path: i.path.join('.'), message: i.message })),
      });
    }
    try {
      const handler = this.#handlers[implemented] as (p: unknown) => unknown;
      return { ok: true, value: await handler(parsed.data) };
    } catch (error) {
      return failure(this.#toApiError(command, error));
    }
  }

  /** The typed form of `handle`, for in-process callers and tests. */
  invoke<C extends CommandName>(command: C, ...params: ParamsArgs<C>): Promise<ApiResult<CommandResult<C>>> {
    return this.handle(command, params[0]) as Promise<ApiResult<CommandResult<C>>>;
  }

  /** Every event, as the envelope the shells forward. Start-up problems are replayed to each new subscriber. */
  subscribe(listener: (message: EventMessage) => void): Disposable {
    const subscription = this.#events.on('event', listener);
    for (const message of this.#sticky) listener(message);
    return subscription;
  }

  /** Starts `close()` without waiting (the `Disposable` form); `close()` says when everything is closed. */
  dispose(): void {
    void this.close();
  }

  /** The embedded emulator's state once its start (or stop) in progress has settled. */
  emulatorSettled(): Promise<EmulatorStatus> {
    return this.#emulator.settled();
  }

  /**
   * Stops the emulator (its calls end and their CDRs are written into the store) and then closes the store. The
   * promise settles when both are done; shells that exit await it.
   */
  close(): Promise<void> {
    if (this.#disposed) return this.#closed;
    this.#disposed = true;
    this.#events.removeAllListeners();
    this.#latencyTaps.dispose();
    this.#emulatorLatencyTap?.dispose();
    // Calls end first (their CDRs and captures written), then a check run in progress is aborted and stored, then
    // the emulator they may be talking to stops.
    this.#closed = this.#softphone
      .close()
      .then(() => this.#checks.close())
      .then(() => Promise.allSettled([this.#emulator.stop(), this.callEvidence.close()]))
      .then(
        () => this.#store.close(),
        () => this.#store.close(),
      );
    return this.#closed;
  }

  /**
   * A microphone frame from a shell (already decoded): into its call's audio queue, or counted and dropped
   * (`audioStats`). Never throws.
   */
  pushAudio(frame: AudioFrame): boolean {
    if (this.#disposed) return false;
    this.#options.latencyTap?.onMicrophone(frame.samples, () => this.#softphone.micQueueStats(frame.callId));
    return this.#softphone.pushAudio(frame);
  }

  /** Every call's received audio, as frames for the renderer to play. */
  onAudio(listener: (frame: AudioFrame) => void): Disposable {
    return this.#softphone.onAudio(listener);
  }

  /** Frames the host dropped: for a call it does not have, or of the wrong length. */
  get audioStats(): { readonly unknownCall: number; readonly badFrames: number } {
    return this.#softphone.audioStats;
  }

  #emit<E extends EventName>(event: E, payload: PhoneApiEvents[E]): void {
    this.#events.emit('event', { type: 'event', event, payload } as EventMessage);
  }

  #createHandlers(): { readonly [C in ImplementedCommand]: Handler<C> } {
    return {
      'app.info': () => this.#appInfo(),
      'settings.get': () => this.#settings,
      'settings.update': (patch) => {
        if (patch.selectedProfileId !== undefined) this.#profile(patch.selectedProfileId);
        const saved = this.#saveSettings({
          ...this.#settings,
          ...(patch.theme !== undefined ? { theme: patch.theme } : {}),
          ...(patch.selectedProfileId !== undefined ? { selectedProfileId: patch.selectedProfileId } : {}),
          ...(patch.shortcutsEnabled !== undefined ? { shortcutsEnabled: patch.shortcutsEnabled } : {}),
          ...(patch.emulatorStartsOnOpen !== undefined
            ? { emulatorStartsOnOpen: patch.emulatorStartsOnOpen }
            : {}),
          ...(patch.captureMaxTotalMb !== undefined ? { captureMaxTotalMb: patch.captureMaxTotalMb } : {}),
          audio: { ...this.#settings.audio, ...patch.audio },
          history: patch.history ?? this.#settings.history,
        });
        // A smaller captures limit applies now, not only at the next call.
        if (patch.captureMaxTotalMb !== undefined) this.callEvidence.prune();
        return saved;
      },
      'profiles.list': () => this.#settings.profiles,
      'profiles.save': (input) => {
        if (input.id === EMULATOR_PROFILE_ID) {
          throw invalid(
            "The embedded emulator's profile is built in; create a new profile for a real trunk.",
          );
        }
        const existing = input.id === undefined ? undefined : this.#profile(input.id);
        const id = existing?.id ?? newProfileId(input.name);
        const profile: TrunkProfile = {
          ...input,
          id,
          kind: 'zentrunk',
          hasPassword: this.#secrets.has(SECRET_KEY_PREFIX + id),
        };
        const profiles = existing
          ? this.#settings.profiles.map((p) => (p.id === id ? profile : p))
          : [...this.#settings.profiles, profile];
        this.#saveSettings({ ...this.#settings, profiles });
        return profile;
      },
      'profiles.delete': ({ profileId }) => {
        const profile = this.#profile(profileId);
        if (profile.kind === 'emulator') throw invalid("The embedded emulator's profile cannot be deleted.");
        this.#secrets.delete(SECRET_KEY_PREFIX + profileId);
        this.#saveSettings({
          ...this.#settings,
          profiles: this.#settings.profiles.filter((p) => p.id !== profileId),
          selectedProfileId:
            this.#settings.selectedProfileId === profileId
              ? EMULATOR_PROFILE_ID
              : this.#settings.selectedProfileId,
        });
      },
      'profiles.setPassword': ({ profileId, password }) => {
        const profile = this.#profile(profileId);
        if (profile.kind === 'emulator') {
          throw invalid("The embedded emulator's demo password is built in and cannot be changed here.");
        }
        this.#secrets.set(SECRET_KEY_PREFIX + profileId, password);
        this.#settings = this.#withPasswordFlags(this.#settings);
        this.#emit('settings.changed', this.#settings);
        return this.#profile(profileId);
      },
      'numbers.classify': ({ number, profileId }) =>
        classifyForDialField(
          number,
          this.#profile(profileId ?? this.#settings.selectedProfileId).defaultCountry,
        ),
      'calls.predict': ({ profileId, destination, callerId }) => {
        const profile = this.#profile(profileId);
        const number = classifyForDialField(destination, profile.defaultCountry);
        const compact = destination.replace(/[-.()\s]/g, '');
        if (compact === '') return { number, warnings: [], knowledge: knowledgeKind(profile) };
        const prediction = predictOutbound(
          { destination: compact, ...(callerId ? { callerId } : {}), trunkDomain: profile.trunkDomain },
          profile.kind === 'emulator' ? { account: this.#emulatorAccount() } : profile.knowledge,
        );
        return {
          number,
          knowledge: knowledgeKind(profile),
          warnings: prediction.warnings.map((w) => ({
            code: w.code,
            causeName: w.causeName,
            sipStatus: w.status,
            ruleId: w.ruleId,
            section: w.section,
            grade: w.grade,
            message: w.message,
          })),
        };
      },
      'history.list': (query) => {
        const page = this.#store.listCdrs({
          ...toCdrFilter(query?.filter),
          limit: query?.limit ?? DEFAULT_HISTORY_LIMIT,
          offset: query?.offset ?? 0,
        });
        return {
          calls: page.objects.map(toCallSummary),
          totalCount: page.meta.total_count,
          limit: page.meta.limit,
          offset: page.meta.offset,
        };
      },
      'history.exportCsv': async (params) => {
        const delivery = this.#exportDelivery();
        const cdrFilter = toCdrFilter(params?.filter);
        // Validate the filter now, so a bad date fails here and not halfway through a download.
        this.#store.listCdrs({ ...cdrFilter, limit: 1 });
        return delivery.deliver(csvFileName(this.#clock.wallNow()), 'text/csv; charset=utf-8', () =>
          this.#store.exportCsv(cdrFilter),
        );
      },
      'diagnosis.get': ({ callUuid }) => {
        const cdr = this.#store.getCdr(callUuid);
        if (cdr === undefined) {
          throw new CommandError({ code: 'not_found', message: `No call ${callUuid} is in the history.` });
        }
        const diagnosis = diagnoseCall(cdr, this.#store.getSipTrace(callUuid));
        return { ...diagnosis, hasCapture: this.callEvidence.captureState(callUuid) === 'available' };
      },
      'profiles.testConnection': ({ profileId }) => this.#softphone.testConnection(profileId),
      'calls.list': () => this.#softphone.list(),
      'calls.dial': (request) => this.#softphone.dial(request),
      'calls.answer': ({ callId }) => this.#softphone.answer(callId),
      'calls.decline': ({ callId }) => this.#softphone.decline(callId),
      'calls.hangup': ({ callId }) => this.#softphone.hangup(callId),
      'calls.sendDtmf': ({ callId, digits }) => this.#softphone.sendDtmf(callId, digits),
      'calls.hold': ({ callId }) => this.#softphone.hold(callId),
      'calls.resume': ({ callId }) => this.#softphone.resume(callId),
      'calls.mute': ({ callId, muted }) => this.#softphone.mute(callId, muted),
      'calls.transferBlind': (request) => this.#softphone.transferBlind(request),
      'calls.transferAttended': (request) => this.#softphone.transferAttended(request),
      ...evidenceHandlers({
        evidence: this.callEvidence,
        sipTraceOf: (callUuid) =>
          this.#store.getCdr(callUuid) === undefined ? undefined : this.#store.getSipTrace(callUuid),
        deliver: (fileName, contentType, chunks) =>
          this.#exportDelivery().deliver(fileName, contentType, chunks),
        notFound: (message) => new CommandError({ code: 'not_found', message }),
        application: `Trunkline ${this.#options.appVersion}`,
      }),
      'emulator.status': () => this.#emulator.status(),
      'emulator.start': () => this.#emulator.start(),
      'emulator.stop': () => this.#emulator.stop(),
      'emulator.exportCa': () => ({
        pem: this.#runningEmulator('emulator.exportCa').caCertificatePem ?? notRunning('emulator.exportCa'),
        fileName: 'trunkline-emulator-ca.pem',
      }),
      'emulator.liveCalls': () => this.#emulator.liveCalls(),
      'emulator.getAccount': () => this.#emulator.account() ?? notRunning('emulator.getAccount'),
      'emulator.saveAccount': (document) => this.#accountEditor.save(document, this.#emulator),
      'emulator.resetAccount': () => this.#accountEditor.reset(this.#emulator),
      'emulator.placeInbound': async ({ to, from }) => {
        // The demo account routes its DIDs to the softphone's listener: have it listen before the call comes.
        await this.#softphone.listen(EMULATOR_PROFILE_ID).catch(() => undefined);
        return this.#accountEditor.placeInbound(this.#runningEmulator('emulator.placeInbound'), { to, from });
      },
      'emulator.recentEvents': (params) => this.#emulator.recentEvents(params?.limit ?? 100),
      'checks.list': (params) => this.#checks.list(params.profileId),
      'checks.run': (request) => this.#checks.run(request),
      'checks.cancel': ({ runId }) => this.#checks.cancel(runId),
      'checks.active': () => this.#checks.active(),
      'checks.runs': (page) => this.#checks.runs(page),
      'checks.getRun': ({ runId }) => this.#checks.getRun(runId),
      'checks.exportReport': ({ runId, format }) => this.#checks.exportReport(runId, format),
      'diagnosis.explain': ({ query }) => {
        const parsed = parseExplainQuery(query);
        if (parsed === undefined) {
          throw invalid(
            'Type a Zentrunk hangup code (four digits, e.g. 4190), a SIP status (three digits, e.g. 403) or a cause name (e.g. unknown_caller_id).',
          );
        }
        const explanation = explainHangup(parsed);
        return {
          headline: explanation.headline,
          causes: explanation.causes.map(causeView),
          evidence: [],
          ...(explanation.note !== undefined ? { note: explanation.note } : {}),
        };
      },
    };
  }

  #onEmulatorStatus(status: EmulatorStatus): void {
    // The emulator profile dials the port the OS picked; it is derived, so it is not written to settings.json.
    const udp = status.state === 'running' ? status.listeners.find((l) => l.transport === 'udp') : undefined;
    if (udp !== undefined) {
      this.#settings = this.#withEmulatorPort(this.#settings);
      this.#emit('settings.changed', this.#settings);
    }
    if (status.state === 'failed' && status.problem !== undefined) this.#log('warn', status.problem);
    const tap = this.#options.latencyTap;
    if (tap !== undefined && status.state === 'running') {
      // A restarted emulator (an account edit) is a new Emulator: tap each one as it comes up.
      this.#emulatorLatencyTap?.dispose();
      this.#emulatorLatencyTap = this.#emulator.running()?.tapPackets(tap.onEmulatorPacket);
    }
    this.#emit('emulator.status', status);
  }

  #withEmulatorPort(settings: Settings): Settings {
    const udp = this.#emulator?.udpListener();
    if (udp === undefined) return settings;
    return {
      ...settings,
      profiles: settings.profiles.map((p) =>
        p.kind === 'emulator'
          ? { ...p, proxyHost: udp.address, port: udp.port, callerIds: this.#emulatorCallerIds(p) }
          : p,
      ),
    };
  }

  /** The caller IDs of the account the emulator serves (an edited account's new numbers included). */
  #emulatorCallerIds(profile: TrunkProfile): readonly string[] {
    const account = this.#emulator.config()?.account;
    return account === undefined ? profile.callerIds : callerIdsOf(account);
  }

  #softphoneProfile(profileId: string) {
    const profile = this.#profile(profileId);
    if (profile.kind === 'emulator' && this.#emulator.udpListener() === undefined) {
      throw new CallCommandError({
        code: 'unavailable',
        message: 'The embedded emulator is not running; start it in the Emulator view, then call again.',
        missing: 'a running embedded emulator',
      });
    }
    return softphoneProfile(profile, this.#secrets.get(SECRET_KEY_PREFIX + profileId));
  }

  /** The shell's file delivery, or the `unavailable` error of a shell that cannot save files. */
  #exportDelivery(): ExportDelivery {
    const delivery = this.#options.exports;
    if (delivery === undefined) throw noExportDelivery();
    return delivery;
  }

  #runningEmulator(command: string) {
    return this.#emulator.running() ?? notRunning(command);
  }

  #appInfo(): AppInfo {
    return {
      apiVersion: PHONE_API_VERSION,
      appVersion: this.#options.appVersion,
      shell: this.#options.shell,
      dataDir: this.dataDir,
      secretStorage: this.#secrets.kind,
      features: featureAvailability(),
    };
  }

  #profile(profileId: string): TrunkProfile {
    const profile = this.#settings.profiles.find((p) => p.id === profileId);
    if (profile === undefined) {
      throw new CommandError({ code: 'not_found', message: `There is no trunk profile ${profileId}.` });
    }
    return profile;
  }

  /** The account the embedded emulator serves (the saved one), else the demo account. */
  #emulatorAccount(): Account {
    const serving = this.#emulator.config()?.account;
    if (serving !== undefined) return serving;
    this.#account ??= demoAccount();
    return this.#account;
  }

  #saveSettings(next: Settings): Settings {
    const settings = this.#withPasswordFlags(next);
    saveSettings(this.dataDir, settings);
    this.#settings = settings;
    this.#emit('settings.changed', settings);
    return settings;
  }

  #withPasswordFlags(settings: Settings): Settings {
    return {
      ...(this.#emulator === undefined ? settings : this.#withEmulatorPort(settings)),
      profiles: settings.profiles.map((p) =>
        p.kind === 'emulator' ? p : { ...p, hasPassword: this.#secrets.has(SECRET_KEY_PREFIX + p.id) },
      ),
    };
  }

  /**
   * Opens the call store. A database that is corrupt, foreign or from a newer Trunkline is moved aside (kept for
   * the user) and a new one started: history is worth less than a phone that starts.
   */
  #openStore(): TrunklineStore {
    const path = defaultDatabasePath(this.dataDir);
    try {
      return TrunklineStore.open({ path, clock: this.#clock, retention: this.#settings.history });
    } catch (error) {
      if (
        !(error instanceof StoreError) ||
        !['STORE_CORRUPT', 'STORE_FOREIGN_DATABASE', 'STORE_SCHEMA_TOO_NEW'].includes(error.code)
      ) {
        throw error;
      }
      const aside = moveDatabaseAside(path, this.#clock.wallNow());
      const message = `The call history database could not be used (${error.message}). It was kept as ${aside} and a new, empty history was started.`;
      this.#log('warn', message);
      this.#sticky.push({
        type: 'event',
        event: 'host.notice',
        payload: { level: 'warning', code: error.code, message },
      });
      return TrunklineStore.open({ path, clock: this.#clock, retention: this.#settings.history });
    }
  }

  #toApiError(command: string, error: unknown): ApiError {
    if (error instanceof CommandError || error instanceof CallCommandError) return error.apiError;
    if (error instanceof AccountCommandError) return error.apiError;
    if (error instanceof StoreError) {
      return error.code === 'STORE_INVALID_FILTER'
        ? { code: 'invalid_params', message: error.message }
        : { code: 'store_failed', message: error.message };
    }
    if (error instanceof TrunklineError && error.code === 'EMULATOR_INVALID_CALL') {
      return { code: 'invalid_params', message: error.message };
    }
    if (error instanceof z.ZodError) {
      return { code: 'invalid_params', message: `The request for ${command} is not valid.` };
    }
    this.#log('error', `${command} failed: ${describeError(error)}`);
    return {
      code: 'internal',
      message: `Trunkline could not complete ${command} because of an internal error; the host log has the details.`,
    };
  }

  #log(level: HostLogLevel, message: string): void {
    this.#options.log?.(level, message);
  }
}

function failure(error: ApiError): ApiResult<never> {
  return { ok: false, error };
}

function notRunning(command: string): never {
  throw new CommandError({
    code: 'unavailable',
    message: `The embedded emulator is not running; start it in the Emulator view to use ${command}.`,
    missing: 'a running embedded emulator',
  });
}

function invalid(message: string): CommandError {
  return new CommandError({ code: 'invalid_params', message });
}

function knowledgeKind(profile: TrunkProfile): 'account' | 'profile' {
  return profile.kind === 'emulator' ? 'account' : 'profile';
}

function newProfileId(name: string): string {
  const slug = name
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-|-$/g, '')
    .slice(0, 40);
  return `${slug || 'trunk'}-${randomUUID().slice(0, 8)}`;
}
