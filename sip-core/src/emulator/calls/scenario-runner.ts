// Executes a far-end script (far-end/scenario-script.ts) on the Clock: each step at its time after the far end
// was offered the call, one timer at a time (an idle call with a long script holds one timer, not one per step).
// What a step does is the caller's: the runner only keeps time and stops after a `reject` or a `hangup`, or when
// cancelled (CANCEL, BYE from the customer, stop). A finished runner lets go of its steps and handlers: an
// answered call whose script is over keeps nothing of it (docs/adr/0093).

import type { Clock, TimerHandle } from '../../common/clock.js';
import type { ScenarioScript, ScenarioStep } from '../far-end/index.js';

export type StepHandler = (step: ScenarioStep) => void;

export class ScenarioRunner {
  readonly #clock: Clock;
  #steps: readonly ScenarioStep[];
  #onStep: StepHandler;
  #onError: (error: unknown) => void;
  #startedAtMs = 0;
  #next = 0;
  #timer: TimerHandle | undefined;
  #done = false;

  constructor(clock: Clock, script: ScenarioScript, onStep: StepHandler, onError: (error: unknown) => void) {
    this.#clock = clock;
    this.#steps = script.steps;
    this.#onStep = onStep;
    this.#onError = onError;
  }

  /** Starts the clock of the script now; steps due at 0 run before this returns. */
  start(): void {
    this.#startedAtMs = this.#clock.now();
    this.#run();
  }

  cancel(): void {
    this.#clock.clearTimeout(this.#timer);
    this.#timer = undefined;
    this.#finish();
  }

  get finished(): boolean {
    return this.#done;
  }

  #run(): void {
    this.#timer = undefined;
    while (!this.#done && this.#next < this.#steps.length) {
      const step = this.#steps[this.#next];
      const dueInMs = this.#startedAtMs + step.atMs - this.#clock.now();
      if (dueInMs > 0) {
        this.#timer = this.#clock.setTimeout(() => this.#run(), dueInMs);
        return;
      }
      this.#next++;
      if (step.kind === 'reject' || step.kind === 'hangup') this.#done = true;
      try {
        this.#onStep(step);
      } catch (error) {
        // A step that fails must not stop the timer loop of other calls: it is reported, the script goes on.
        this.#onError(error);
      }
    }
    this.#finish();
  }

  #finish(): void {
    this.#done = true;
    this.#steps = NO_STEPS;
    this.#onStep = ignoreStep;
    this.#onError = ignoreStep;
  }
}

const NO_STEPS: readonly ScenarioStep[] = Object.freeze([]);

function ignoreStep(): void {}
