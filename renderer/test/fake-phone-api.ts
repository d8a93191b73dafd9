// A PhoneApi for component tests: answers each command from a table, records the calls, and lets a test push
// host events.

import type {
  ApiResult,
  CommandName,
  EventName,
  PhoneApi,
  PhoneApiEvents,
} from '../../electron/common/index.js';

type Answer = (params: unknown) => ApiResult<unknown>;

export class FakePhoneApi implements PhoneApi {
  readonly calls: { command: CommandName; params: unknown }[] = [];
  readonly #answers = new Map<CommandName, Answer>();
  readonly #listeners = new Map<EventName, Set<(payload: unknown) => void>>();

  answer(command: CommandName, answer: Answer): this {
    this.#answers.set(command, answer);
    return this;
  }

  invoke: PhoneApi['invoke'] = (command, ...params) => {
    this.calls.push({ command, params: params[0] });
    const answer = this.#answers.get(command);
    const result: ApiResult<unknown> = answer
      ? answer(params[0])
      : { ok: false, error: { code: 'unavailable', message: `${command} is not answered in this test.` } };
    return Promise.resolve(result) as ReturnType<PhoneApi['invoke']>;
  };

  on: PhoneApi['on'] = (event, listener) => {
    const set = this.#listeners.get(event) ?? new Set();
    set.add(listener as (payload: unknown) => void);
    this.#listeners.set(event, set);
    return () => set.delete(listener as (payload: unknown) => void);
  };

  emit<E extends EventName>(event: E, payload: PhoneApiEvents[E]): void {
    for (const listener of this.#listeners.get(event) ?? []) listener(payload);
  }

  sendAudio(): void {}

  onAudio() {
    return () => undefined;
  }
}
