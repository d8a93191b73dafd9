// Runs a set of checks against one target: in dependency order, one at a time (checks share the trunk's rate
// limits, and timings measured in parallel would measure each other), each under its timeout on the injected
// clock, with every failure mode turned into a result: a check that throws fails with the error, a check that
// hangs fails on its timeout, an aborted run skips what is left. The runner never crashes on a check.

import { randomUUID } from 'node:crypto';
import { systemClock, type Clock } from '../../common/clock.js';
import { describeError } from '../../common/errors.js';
import { TypedEmitter } from '../../common/typed-emitter.js';
import { summarizeTarget, type CheckTarget } from '../target/check-target.js';
import { abortError } from './abortable-delay.js';
import {
  emptyEvidence,
  type CheckContext,
  type CheckDefinition,
  type CheckEvidence,
  type CheckOutcome,
  type CheckResult,
  type CheckStatus,
  type SipExchangeEvidence,
  type SkipReason,
} from './check-definition.js';
import { planChecks, orderChecks, type CheckSelection, type PlannedCheck } from './check-plan.js';
import type { CheckRunEvents } from './check-run-events.js';
import { countStatuses, type CheckRunResult, type RunSelection } from './check-run-result.js';
import { CheckRunnerError } from './check-runner-error.js';

export interface CheckRunnerOptions<S> {
  readonly checks: readonly CheckDefinition<S>[];
  /** What the checks need (resolver, SIP probes, later the UA and the emulator); handed to each as is. */
  readonly services: S;
  readonly clock?: Clock;
}

export interface RunOptions {
  readonly selection?: CheckSelection;
  readonly signal?: AbortSignal;
  /** Default: a random UUID. */
  readonly runId?: string;
}

const VALID_STATUSES: readonly CheckStatus[] = ['pass', 'fail', 'warning', 'skipped'];

type Settled =
  | { readonly kind: 'outcome'; readonly outcome: CheckOutcome }
  | { readonly kind: 'error'; readonly error: unknown }
  | { readonly kind: 'timeout' }
  | { readonly kind: 'aborted' };

export class CheckRunner<S> {
  readonly #checks: readonly CheckDefinition<S>[];
  readonly #services: S;
  readonly #clock: Clock;
  readonly #events = new TypedEmitter<CheckRunEvents>();

  /** Throws `CheckRunnerError` for duplicate ids, unknown dependencies and cycles. */
  constructor(options: CheckRunnerOptions<S>) {
    this.#checks = orderChecks(options.checks);
    this.#services = options.services;
    this.#clock = options.clock ?? systemClock;
  }

  /** The registered checks in the order they run. */
  get checks(): readonly CheckDefinition<S>[] {
    return this.#checks;
  }

  on<K extends keyof CheckRunEvents>(event: K, listener: CheckRunEvents[K]): { dispose(): void } {
    return this.#events.on(event, listener);
  }

  /** Validates a selection without running anything (`CHECKS_UNKNOWN_CHECK` for unknown ids). */
  plan(selection?: CheckSelection): {
    readonly ids: readonly string[];
    readonly pulledIn: readonly string[];
  } {
    const plan = planChecks(this.#checks, selection);
    return { ids: plan.checks.map((c) => c.definition.id), pulledIn: plan.pulledIn };
  }

  async run(target: CheckTarget, options: RunOptions = {}): Promise<CheckRunResult> {
    const plan = planChecks(this.#checks, options.selection);
    const runId = options.runId ?? randomUUID();
    const signal = options.signal;
    const selection: RunSelection = {
      only: [...(options.selection?.only ?? [])],
      skip: [...(options.selection?.skip ?? [])],
      pulledIn: plan.pulledIn,
    };
    const targetSummary = summarizeTarget(target);
    const startedMs = this.#clock.wallNow();
    const started = this.#clock.now();
    this.#events.emit('runStarted', {
      runId,
      target: targetSummary,
      checks: plan.checks.map(({ definition: d }) => ({
        id: d.id,
        title: d.title,
        safety: d.safety,
        dependsOn: [...d.dependsOn],
      })),
      selection,
    });
    const results = new Map<string, CheckResult>();
    const total = plan.checks.length;
    for (const [index, planned] of plan.checks.entries()) {
      const result = await this.#runOne(planned, target, results, signal, index, total);
      results.set(result.id, result);
      this.#events.emit('checkFinished', result, { index, total });
    }
    const ordered = [...results.values()];
    const counts = countStatuses(ordered);
    const aborted = signal?.aborted === true;
    const result: CheckRunResult = {
      runId,
      target: targetSummary,
      startedMs,
      finishedMs: this.#clock.wallNow(),
      durationMs: this.#clock.now() - started,
      aborted,
      selection,
      results: ordered,
      counts,
      verdict: counts.fail > 0 || aborted ? 'failed' : 'passed',
    };
    this.#events.emit('runFinished', result);
    return result;
  }

  async #runOne(
    planned: PlannedCheck<S>,
    target: CheckTarget,
    results: ReadonlyMap<string, CheckResult>,
    runSignal: AbortSignal | undefined,
    index: number,
    total: number,
  ): Promise<CheckResult> {
    const definition = planned.definition;
    const skipReason = this.#skipReason(planned, target, results, runSignal);
    if (skipReason !== undefined) return skippedResult(definition, skipReason, this.#clock.wallNow());

    this.#events.emit('checkStarted', { id: definition.id, title: definition.title, index, total });
    const startedMs = this.#clock.wallNow();
    const started = this.#clock.now();
    const controller = new AbortController();
    const lines: string[] = [];
    const sip: SipExchangeEvidence[] = [];
    let finished = false;
    const context: CheckContext<S> = {
      target,
      clock: this.#clock,
      signal: controller.signal,
      services: this.#services,
      results,
      progress: (fraction, note) => {
        if (finished) return;
        const clamped = Number.isFinite(fraction) ? Math.min(1, Math.max(0, fraction)) : 0;
        this.#events.emit('checkProgress', {
          id: definition.id,
          fraction: clamped,
          ...(note !== undefined ? { note } : {}),
        });
      },
      note: (line) => {
        if (!finished) lines.push(line);
      },
      recordSip: (exchange) => {
        if (!finished) sip.push(exchange);
      },
    };

    const settled = await this.#settle(definition, context, controller, runSignal);
    finished = true;
    const durationMs = this.#clock.now() - started;
    const gathered: CheckEvidence = { ...emptyEvidence(), sip, lines };
    const base = {
      id: definition.id,
      title: definition.title,
      description: definition.description,
      safety: definition.safety,
      startedMs,
      durationMs,
    };
    switch (settled.kind) {
      case 'outcome':
        return outcomeResult(base, settled.outcome, gathered);
      case 'error':
        return {
          ...base,
          status: 'fail',
          summary: `The check stopped with an error: ${describeError(settled.error)}`,
          measurements: [],
          evidence: gathered,
          cause: { summary: describeError(settled.error), ...optional('errorCode', codeOf(settled.error)) },
          error: { message: describeError(settled.error), ...optional('code', codeOf(settled.error)) },
        };
      case 'timeout': {
        const message = `The check did not finish within ${definition.timeoutMs} ms.`;
        return {
          ...base,
          status: 'fail',
          summary: message,
          measurements: [],
          evidence: gathered,
          cause: { summary: message, errorCode: 'CHECKS_TIMEOUT' },
          remedy:
            'Check that the trunk is reachable from this machine; the evidence shows how far the check got.',
          error: { code: 'CHECKS_TIMEOUT', message },
        };
      }
      case 'aborted':
        return {
          ...base,
          status: 'skipped',
          summary: 'The run was aborted while this check was running.',
          measurements: [],
          evidence: gathered,
          skipReason: { kind: 'aborted' },
        };
    }
  }

  /** Runs the check, racing it against its timeout and the run's abort. */
  #settle(
    definition: CheckDefinition<S>,
    context: CheckContext<S>,
    controller: AbortController,
    runSignal: AbortSignal | undefined,
  ): Promise<Settled> {
    return new Promise<Settled>((resolve) => {
      let done = false;
      const finish = (settled: Settled): void => {
        if (done) return;
        done = true;
        this.#clock.clearTimeout(timer);
        runSignal?.removeEventListener('abort', onRunAbort);
        resolve(settled);
      };
      const onRunAbort = (): void => {
        controller.abort(runSignal === undefined ? undefined : abortError(runSignal));
        finish({ kind: 'aborted' });
      };
      const timer = this.#clock.setTimeout(() => {
        controller.abort(
          new CheckRunnerError(
            'CHECKS_TIMEOUT',
            `Check '${definition.id}' timed out after ${definition.timeoutMs} ms.`,
          ),
        );
        finish({ kind: 'timeout' });
      }, definition.timeoutMs);
      runSignal?.addEventListener('abort', onRunAbort, { once: true });
      let running: Promise<CheckOutcome>;
      try {
        running = definition.run(context);
      } catch (error) {
        finish({ kind: 'error', error });
        return;
      }
      Promise.resolve(running).then(
        (outcome) => finish(isOutcome(outcome) ? { kind: 'outcome', outcome } : malformedOutcome()),
        (error: unknown) => finish({ kind: 'error', error }),
      );
    });
  }

  #skipReason(
    planned: PlannedCheck<S>,
    target: CheckTarget,
    results: ReadonlyMap<string, CheckResult>,
    runSignal: AbortSignal | undefined,
  ): SkipReason | undefined {
    if (runSignal?.aborted) return { kind: 'aborted' };
    if (planned.deselected) return { kind: 'deselected' };
    for (const dependencyId of planned.definition.dependsOn) {
      const dependency = results.get(dependencyId);
      if (dependency === undefined) continue;
      // A check that does not apply (TLS on a UDP trunk) has nothing to say about its dependants.
      const notApplicable = dependency.skipReason?.kind === 'not-applicable';
      if (dependency.status === 'fail' || (dependency.status === 'skipped' && !notApplicable)) {
        return { kind: 'dependency', dependencyId, dependencyStatus: dependency.status };
      }
    }
    // Enforced here, not by filtering the list: whatever selection or registry a caller builds, a negative probe
    // never reaches a real trunk (it would be charged, look like fraud, or get the source blocked).
    if (planned.definition.safety === 'emulator-only' && !target.isEmulator) return { kind: 'emulator-only' };
    return undefined;
  }
}

function skippedResult<S>(
  definition: CheckDefinition<S>,
  reason: SkipReason,
  startedMs: number,
): CheckResult {
  return {
    id: definition.id,
    title: definition.title,
    description: definition.description,
    safety: definition.safety,
    status: 'skipped',
    summary: skipSummary(reason),
    startedMs,
    durationMs: 0,
    measurements: [],
    evidence: emptyEvidence(),
    skipReason: reason,
  };
}

export function skipSummary(reason: SkipReason): string {
  switch (reason.kind) {
    case 'dependency':
      return `Skipped: it needs '${reason.dependencyId}', which ${reason.dependencyStatus === 'fail' ? 'failed' : 'was skipped'}.`;
    case 'deselected':
      return 'Skipped: deselected with --skip.';
    case 'emulator-only':
      return 'Skipped: an emulator-only probe never runs against a real trunk.';
    case 'aborted':
      return 'Skipped: the run was aborted.';
    case 'not-applicable':
      return 'Skipped: does not apply to this target.';
  }
}

function outcomeResult(
  base: Pick<CheckResult, 'id' | 'title' | 'description' | 'safety' | 'startedMs' | 'durationMs'>,
  outcome: CheckOutcome,
  gathered: CheckEvidence,
): CheckResult {
  const evidence: CheckEvidence = {
    sip: [...gathered.sip, ...(outcome.evidence?.sip ?? [])],
    lines: [...gathered.lines, ...(outcome.evidence?.lines ?? [])],
    waveforms: [...(outcome.evidence?.waveforms ?? [])],
    ...(outcome.evidence?.captureFile !== undefined ? { captureFile: outcome.evidence.captureFile } : {}),
  };
  const needsCause = outcome.status === 'fail' || outcome.status === 'warning';
  const cause = outcome.cause ?? (needsCause ? { summary: outcome.summary } : undefined);
  return {
    ...base,
    status: outcome.status,
    summary: outcome.summary,
    measurements: [...(outcome.measurements ?? [])],
    evidence,
    ...(cause !== undefined ? { cause } : {}),
    ...(outcome.remedy !== undefined ? { remedy: outcome.remedy } : {}),
    ...(outcome.status === 'skipped' ? { skipReason: { kind: 'not-applicable' } as const } : {}),
  };
}

function isOutcome(value: unknown): value is CheckOutcome {
  if (typeof value !== 'object' || value === null) return false;
  const outcome = value as { status?: unknown; summary?: unknown };
  return VALID_STATUSES.includes(outcome.status as CheckStatus) && typeof outcome.summary === 'string';
}

function malformedOutcome(): Settled {
  return {
    kind: 'error',
    error: new TypeError('The check returned something that is not an outcome (status and summary).'),
  };
}

function codeOf(error: unknown): string | undefined {
  const code = (error as { code?: unknown } | undefined)?.code;
  return typeof code === 'string' ? code : undefined;
}

function optional<K extends string>(key: K, value: string | undefined): Partial<Record<K, string>> {
  return value === undefined ? {} : ({ [key]: value } as Record<K, string>);
}
