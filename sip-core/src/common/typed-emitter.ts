import type { Disposable } from './disposable.js';
import { toError } from './errors.js';

/** An event map: each event name maps to its listener's signature. */
export type EventMap<T> = { [K in keyof T]: (...args: never[]) => void };

type ListenerErrorHandler = (error: unknown, event: string) => void;

let listenerErrorHandler: ListenerErrorHandler = (error, event) => {
  const detail = toError(error);
  process.emitWarning(detail, { code: 'TRUNKLINE_LISTENER_ERROR', detail: `in a listener of '${event}'` });
};

/**
 * Routes exceptions thrown by event listeners (default: a process warning). Returns the previous handler, so
 * tests can capture and restore.
 */
export function setListenerErrorHandler(handler: ListenerErrorHandler): ListenerErrorHandler {
  const previous = listenerErrorHandler;
  listenerErrorHandler = handler;
  return previous;
}

/**
 * A typed event emitter. A listener that throws never breaks the emitter or the other listeners (mediasoup's
 * rule): a UI bug must not end a call. Listeners added or removed during an emit take effect from the next emit.
 *
 * Listener lists are copied when they change, never when an event is emitted: the media path emits for every
 * packet, and a copy per emit was garbage at that rate, whereas listeners change a few times per call.
 *
 * The lists live in one flat array, `[event, list, event, list, …]`, allocated by the first `on` and always of
 * exact size (a Map's table, and arrays built by spreading, reserve room for 16 more entries): an emulator call
 * holds a few emitters for its whole life, and the reserve was about 0.5 KB of every idle call (docs/adr/0093).
 * Emitters have a handful of events, so the linear search costs less than a hash lookup.
 */
export class TypedEmitter<E extends EventMap<E>> {
  #listeners: Array<keyof E | ReadonlyArray<E[keyof E]>> | undefined;

  #list(event: keyof E): ReadonlyArray<E[keyof E]> | undefined {
    const table = this.#listeners;
    if (table === undefined) return undefined;
    for (let i = 0; i < table.length; i += 2) {
      if (table[i] === event) return table[i + 1] as ReadonlyArray<E[keyof E]>;
    }
    return undefined;
  }

  /** Replaces the list of `event` (an empty list removes the event), keeping the table of exact size. */
  #setList(event: keyof E, list: ReadonlyArray<E[keyof E]>): void {
    const table = this.#listeners ?? [];
    let at = -1;
    for (let i = 0; i < table.length; i += 2) if (table[i] === event) at = i;
    if (list.length === 0) {
      if (at >= 0) this.#listeners = table.slice(0, at).concat(table.slice(at + 2));
    } else if (at >= 0) table[at + 1] = list;
    else this.#listeners = table.concat([event, list]);
  }

  on<K extends keyof E>(event: K, listener: E[K]): Disposable {
    const list = this.#list(event);
    this.#setList(event, list === undefined ? [listener] : list.concat([listener]));
    return new Subscription(this, event, listener);
  }

  once<K extends keyof E>(event: K, listener: E[K]): Disposable {
    const wrapper = ((...args: Parameters<E[K]>) => {
      subscription.dispose();
      (listener as (...a: Parameters<E[K]>) => void)(...args);
    }) as E[K];
    const subscription = this.on(event, wrapper);
    return subscription;
  }

  off<K extends keyof E>(event: K, listener: E[K]): void {
    const list = this.#list(event);
    if (!list) return;
    const index = list.indexOf(listener);
    if (index < 0) return;
    this.#setList(event, list.slice(0, index).concat(list.slice(index + 1)));
  }

  /** Calls every listener of `event`; returns whether there was any. */
  emit<K extends keyof E>(event: K, ...args: Parameters<E[K]>): boolean {
    const list = this.#list(event);
    if (!list || list.length === 0) return false;
    // `list` is never changed in place (see above), so a listener added or removed meanwhile does not affect it.
    for (let i = 0; i < list.length; i++) {
      try {
        (list[i] as (...a: Parameters<E[K]>) => void)(...args);
      } catch (error) {
        listenerErrorHandler(error, String(event));
      }
    }
    return true;
  }

  listenerCount(event: keyof E): number {
    return this.#list(event)?.length ?? 0;
  }

  removeAllListeners(): void {
    this.#listeners = undefined;
  }
}

/**
 * What `on` returns: one small object with `dispose` on its prototype, instead of an object, a closure and its
 * context per subscription (`toDisposable`). A live call holds several subscriptions for its whole life, so their
 * size is part of every idle call's cost (docs/adr/0093). Disposing twice does nothing.
 */
class Subscription<E extends EventMap<E>, K extends keyof E> implements Disposable {
  #emitter: TypedEmitter<E> | undefined;
  readonly #event: K;
  readonly #listener: E[K];

  constructor(emitter: TypedEmitter<E>, event: K, listener: E[K]) {
    this.#emitter = emitter;
    this.#event = event;
    this.#listener = listener;
  }

  dispose(): void {
    const emitter = this.#emitter;
    this.#emitter = undefined;
    emitter?.off(this.#event, this.#listener);
  }
}
