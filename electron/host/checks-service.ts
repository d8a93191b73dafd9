// The Checks view's backend (issue 7, "UI"): the default checks for a profile, one run at a time against the
// profile's target (the embedded emulator or a real trunk), live progress as contract events, the runs stored in
// the host's SQLite store, and the reports (JSON, JUnit, HTML) handed to the shell's export delivery.
//
//   idle ──run()──► running ──runFinished──► idle      (report stored, `checks.finished` emitted)
//                      │
//                      └──cancel()/close()──► the runner's AbortSignal: the running check and the rest finish
//                                             as skipped (`aborted`), the verdict is failed, the run is stored
//
// One run at a time (docs/adr/0137): checks share the trunk's limits (one OPTIONS per 15 s, CPS) and measure
// timings that a second run would disturb. The OPTIONS rate guard lives as long as the host, so two runs in a
// row never ping faster than the limit either.

import { randomUUID } from 'node:crypto';
import { z } from 'zod';
import {
  CheckRunnerError,
  DEFAULT_CHECK_FAMILIES,
  OptionsRateGuard,
  createCheckReport,
  createDefaultCheckRunner,
  describeError,
  parseCheckReport,
  renderHtmlReport,
  renderJsonReport,
  renderJunitReport,
  storeCheckReport,
  type CheckFamily,
  type CheckReport,
  type CheckResult,
  type CheckTarget,
  type Clock,
  type CallCheckEnvironment,
  type DefaultCheckRunnerOptions,
  type EmulatorAccountFacts,
  type TrunklineStore,
} from '../../sip-core/src/index.js';
import type {
  CheckDescription,
  CheckReportFormat,
  CheckResultView,
  CheckRunRequest,
  CheckRunView,
  CommandName,
  CsvExport,
  EventName,
  PhoneApiEvents,
  TrunkProfile,
} from '../common/index.js';
import { CommandError, noExportDelivery } from './command-error.js';
import { resultView, runSummary, runView } from './check-run-views.js';
import type { ExportDelivery, HostLogLevel } from './phone-service.js';

/** E.164: a plus, a non-zero country digit, at most 15 digits in all. */
export const E164_PATTERN = /^\+[1-9]\d{5,14}$/;
export const DEFAULT_RUNS_LIMIT = 50;
const MAX_RUNS_LIMIT = 200;

const runId = z.string().min(1).max(128);

/** The checks commands' parameter schemas, merged into PhoneService's table. */
export const CHECKS_PARAMS = {
  'checks.list': z
    .object({ profileId: z.string().min(1).max(64).optional() })
    .strict()
    .or(
      z
        .undefined()
        .or(z.null())
        .transform(() => ({})),
    ),
  'checks.run': z
    .object({
      profileId: z.string().min(1).max(64),
      checks: z.array(z.string().min(1).max(64)).max(200).optional(),
      testNumber: z
        .string()
        .trim()
        .regex(E164_PATTERN, 'must be an E.164 number: + and 7 to 15 digits, e.g. +14155550100')
        .optional(),
    })
    .strict(),
  'checks.cancel': z.object({ runId }).strict(),
  'checks.active': z
    .undefined()
    .or(z.null())
    .transform(() => undefined),
  'checks.runs': z
    .object({
      limit: z.number().int().min(1).max(MAX_RUNS_LIMIT).optional(),
      offset: z.number().int().min(0).optional(),
    })
    .strict()
    .or(
      z
        .undefined()
        .or(z.null())
        .transform(() => ({})),
    ),
  'checks.getRun': z.object({ runId }).strict(),
  'checks.exportReport': z.object({ runId, format: z.enum(['json', 'junit', 'html']) }).strict(),
} as const satisfies Partial<Record<CommandName, z.ZodType>>;

const REPORT_FILES: Record<CheckReportFormat, { readonly suffix: string; readonly contentType: string }> = {
  json: { suffix: '.json', contentType: 'application/json; charset=utf-8' },
  junit: { suffix: '.junit.xml', contentType: 'application/xml; charset=utf-8' },
  html: { suffix: '.html', contentType: 'text/html; charset=utf-8' },
};

export interface ChecksServiceOptions {
  readonly store: () => TrunklineStore;
  readonly clock: Clock;
  /** Written into reports as the generator's version. */
  readonly appVersion: string;
  readonly exports: ExportDelivery | undefined;
  readonly emit: <E extends EventName>(event: E, payload: PhoneApiEvents[E]) => void;
  readonly log: (level: HostLogLevel, message: string) => void;
  /** The profile by id (throws `not_found`), or the selected one. */
  readonly profile: (profileId?: string) => TrunkProfile;
  /** The target of a profile (throws `unavailable` when the emulator is not running). */
  readonly target: (profile: TrunkProfile, testNumber: string | undefined) => CheckTarget;
  /**
   * The call checks' softphone and numbers for a profile (one softphone per run, closed when the run ends);
   * undefined: the call checks are skipped with the reason.
   */
  readonly callEnvironment?: (profile: TrunkProfile, target: CheckTarget) => CallCheckEnvironment | undefined;
  /** The running emulator's account and settings, handed to the negative probes when the target is the emulator. */
  readonly emulatorAccount?: () => EmulatorAccountFacts | undefined;
  /** Tests pin the local address or shorten T1; the guard and clock are the service's own. */
  readonly runner?: Omit<DefaultCheckRunnerOptions, 'clock' | 'optionsGuard' | 'emulatorAccount'>;
}

interface ActiveRun {
  readonly runId: string;
  readonly profileName: string;
  readonly target: string;
  readonly startedMs: number;
  readonly controller: AbortController;
  /** Every planned check, in order, as the view shows it now. */
  readonly results: Map<string, CheckResultView>;
  done: Promise<void>;
}

export class ChecksService {
  readonly #options: ChecksServiceOptions;
  readonly #guard: OptionsRateGuard;
  #active: ActiveRun | undefined;

  constructor(options: ChecksServiceOptions) {
    this.#options = options;
    this.#guard = new OptionsRateGuard({ clock: options.clock });
  }

  /** The registry, grouped by family, each check marked as applicable to the profile's target or not. */
  list(profileId: string | undefined): CheckDescription[] {
    return describeChecks(DEFAULT_CHECK_FAMILIES, this.#options.profile(profileId).kind);
  }

  /** Starts a run and answers its id at once; the results arrive as events. */
  run(request: CheckRunRequest): { runId: string } {
    if (this.#active !== undefined) {
      throw new CommandError({
        code: 'busy',
        message: `A check run is in progress (${this.#active.profileName}); wait for it to finish or cancel it.`,
      });
    }
    const profile = this.#options.profile(request.profileId);
    const target = this.#options.target(profile, request.testNumber);
    // Only the emulator's target gets its account: the runner keeps emulator-only probes off anything else anyway.
    const emulatorAccount = target.isEmulator ? this.#options.emulatorAccount?.() : undefined;
    const calls = this.#options.callEnvironment?.(profile, target);
    const runner = createDefaultCheckRunner({
      ...this.#options.runner,
      clock: this.#options.clock,
      optionsGuard: this.#guard,
      ...(emulatorAccount !== undefined ? { emulatorAccount } : {}),
      ...(calls !== undefined ? { calls } : {}),
    });
    const selection = { only: [...(request.checks ?? [])] };
    try {
      runner.plan(selection);
    } catch (error) {
      void calls?.close();
      if (error instanceof CheckRunnerError) {
        throw new CommandError({ code: 'invalid_params', message: error.message });
      }
      throw error;
    }
    const active: ActiveRun = {
      runId: randomUUID(),
      profileName: profile.name,
      target: target.isEmulator ? `emulator (${target.terminationDomain})` : target.terminationDomain,
      startedMs: this.#options.clock.wallNow(),
      controller: new AbortController(),
      results: new Map(),
      done: Promise.resolve(),
    };
    this.#active = active;
    const { emit } = this.#options;
    const subscriptions = [
      runner.on('runStarted', (plan) => {
        for (const check of plan.checks) {
          active.results.set(check.id, {
            id: check.id,
            title: check.title,
            safety: check.safety,
            outcome: 'pending',
            message: 'Waiting',
          });
        }
        emit('checks.started', {
          runId: active.runId,
          target: active.target,
          profileName: active.profileName,
          checks: plan.checks.map((c) => ({ id: c.id, title: c.title, safety: c.safety })),
        });
      }),
      runner.on('checkStarted', ({ id, title, index, total }) => {
        const result = this.#update(active, id, {
          title,
          outcome: 'running',
          message: 'Running',
          progress: 0,
        });
        emit('checks.progress', { runId: active.runId, stage: 'started', index, total, result });
      }),
      runner.on('checkProgress', ({ id, fraction, note }) => {
        const result = this.#update(active, id, {
          progress: Math.min(1, Math.max(0, fraction)),
          ...(note !== undefined ? { progressNote: note } : {}),
        });
        const index = [...active.results.keys()].indexOf(id);
        emit('checks.progress', {
          runId: active.runId,
          stage: 'progress',
          index,
          total: active.results.size,
          result,
        });
      }),
      runner.on('checkFinished', (finished: CheckResult, { index, total }) => {
        const result = resultView(finished);
        active.results.set(finished.id, result);
        emit('checks.progress', { runId: active.runId, stage: 'finished', index, total, result });
      }),
    ];
    active.done = runner
      .run(target, { selection, signal: active.controller.signal, runId: active.runId })
      // The run's softphone hangs up and stops before the run is reported finished.
      .finally(() => calls?.close())
      .then((result) => {
        const report = createCheckReport(result, this.#options.appVersion);
        this.#store(report);
        emit('checks.finished', runView(report, active.profileName));
      })
      .catch((error: unknown) => {
        // The runner turns every check's failure into a result; reaching here is a bug in the runner or the
        // report. The view still learns that the run is over.
        this.#options.log('error', `The check run ${active.runId} failed: ${describeError(error)}`);
        emit('host.notice', {
          level: 'error',
          code: 'checks_run_failed',
          message: 'The check run stopped because of an internal error; the host log has the details.',
        });
        emit('checks.finished', {
          ...this.#liveView(active),
          finishedMs: this.#options.clock.wallNow(),
          verdict: 'failed',
          aborted: true,
        });
      })
      .finally(() => {
        for (const s of subscriptions) s.dispose();
        if (this.#active === active) this.#active = undefined;
      });
    return { runId: active.runId };
  }

  cancel(runId: string): { cancelled: boolean } {
    const active = this.#active;
    if (active === undefined || active.runId !== runId || active.controller.signal.aborted) {
      return { cancelled: false };
    }
    active.controller.abort();
    return { cancelled: true };
  }

  active(): CheckRunView | null {
    return this.#active === undefined ? null : this.#liveView(this.#active);
  }

  runs(page: { readonly limit?: number; readonly offset?: number }): CheckRunView[] {
    const store = this.#options.store();
    const listed = store.listCheckRuns({ limit: page.limit ?? DEFAULT_RUNS_LIMIT, offset: page.offset ?? 0 });
    return listed.objects.map((summary) => {
      const report = this.#readReport(summary.runId);
      return report === undefined
        ? { ...summary }
        : { ...runSummary(report), finishedMs: summary.finishedMs };
    });
  }

  getRun(runId: string): CheckRunView {
    const active = this.#active;
    if (active?.runId === runId) return this.#liveView(active);
    const report = this.#readReport(runId);
    if (report === undefined) {
      throw new CommandError({ code: 'not_found', message: `No check run ${runId} is stored.` });
    }
    return runView(report);
  }

  exportReport(runId: string, format: CheckReportFormat): Promise<CsvExport> {
    const delivery = this.#options.exports;
    if (delivery === undefined) throw noExportDelivery();
    const report = this.#readReport(runId);
    if (report === undefined) {
      throw new CommandError({
        code: 'not_found',
        message:
          this.#active?.runId === runId
            ? 'The run is still in progress; export its report when it has finished.'
            : `No check run ${runId} is stored.`,
      });
    }
    const file = REPORT_FILES[format];
    const text =
      format === 'json'
        ? renderJsonReport(report)
        : format === 'junit'
          ? renderJunitReport(report)
          : renderHtmlReport(report);
    return delivery.deliver(`trunkline-check-${runId.slice(0, 8)}${file.suffix}`, file.contentType, () => [
      text,
    ]);
  }

  /** Aborts the run in progress and waits until it is stored. */
  async close(): Promise<void> {
    const active = this.#active;
    if (active === undefined) return;
    active.controller.abort();
    await active.done;
  }

  #update(active: ActiveRun, id: string, patch: Partial<CheckResultView>): CheckResultView {
    const previous = active.results.get(id) ?? { id, outcome: 'running', message: 'Running' };
    const next: CheckResultView = { ...previous, ...patch };
    active.results.set(id, next);
    return next;
  }

  #liveView(active: ActiveRun): CheckRunView {
    const results = [...active.results.values()];
    const count = (outcome: CheckResultView['outcome']) =>
      results.filter((r) => r.outcome === outcome).length;
    return {
      runId: active.runId,
      startedMs: active.startedMs,
      finishedMs: null,
      target: active.target,
      profileName: active.profileName,
      passed: count('passed'),
      warnings: count('warning'),
      failed: count('failed'),
      skipped: count('skipped'),
      results,
    };
  }

  #store(report: CheckReport): void {
    try {
      storeCheckReport(this.#options.store(), report);
    } catch (error) {
      // The run's results still reach the view; only its place in history is lost, and the user is told.
      this.#options.log(
        'error',
        `The check run ${report.run.runId} could not be stored: ${describeError(error)}`,
      );
      this.#options.emit('host.notice', {
        level: 'warning',
        code: 'checks_not_stored',
        message: `The check run finished but could not be saved to the history database (${describeError(error)}).`,
      });
    }
  }

  #readReport(runId: string): CheckReport | undefined {
    const record = this.#options.store().getCheckRun(runId);
    return record === undefined ? undefined : parseCheckReport(record.report);
  }
}

/** What the Checks view lists: every check of every family, in run order, with whether it applies. */
export function describeChecks(
  families: readonly CheckFamily[],
  profileKind: TrunkProfile['kind'],
): CheckDescription[] {
  return families.flatMap((family) =>
    family.checks.map((check) => {
      const applicable = profileKind === 'emulator' || check.safety !== 'emulator-only';
      return {
        id: check.id,
        title: check.title,
        description: check.description,
        family: family.id,
        familyTitle: family.title,
        safety: check.safety,
        dependsOn: [...check.dependsOn],
        applicable,
        ...(applicable ? {} : { notApplicableReason: NOT_ON_REAL_TRUNK }),
      };
    }),
  );
}

const NOT_ON_REAL_TRUNK =
  'A negative probe: it runs only against the embedded emulator, never against a real trunk (it would be charged or look like fraud).';
