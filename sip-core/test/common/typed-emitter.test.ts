import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { TypedEmitter, setListenerErrorHandler } from '../../src/common/typed-emitter.js';

interface Events {
  message: (text: string, size: number) => void;
  closed: () => void;
}

describe('TypedEmitter', () => {
  const errors: Array<[unknown, string]> = [];
  let previous: ReturnType<typeof setListenerErrorHandler> | undefined;
  beforeAll(() => {
    previous = setListenerErrorHandler((error, event) => errors.push([error, event]));
  });
  afterAll(() => {
    if (previous) setListenerErrorHandler(previous);
  });
  afterEach(() => {
    errors.length = 0;
  });

  it('delivers arguments to every listener and reports whether anyone listened', () => {
    const emitter = new TypedEmitter<Events>();
    const got: string[] = [];
    emitter.on('message', (text, size) => got.push(`${text}:${size}`));
    expect(emitter.emit('message', 'INVITE', 900)).toBe(true);
    expect(emitter.emit('closed')).toBe(false);
    expect(got).toEqual(['INVITE:900']);
  });

  it('keeps delivering when a listener throws, and reports the error with the event name', () => {
    const emitter = new TypedEmitter<Events>();
    let second = 0;
    emitter.on('closed', () => {
      throw new Error('ui bug');
    });
    emitter.on('closed', () => second++);
    emitter.emit('closed');
    emitter.emit('closed');
    expect(second).toBe(2);
    expect(errors).toHaveLength(2);
    expect(errors[0]?.[1]).toBe('closed');
  });

  it('once fires a single time; dispose and off unsubscribe', () => {
    const emitter = new TypedEmitter<Events>();
    let onceCount = 0;
    let count = 0;
    emitter.once('closed', () => onceCount++);
    const sub = emitter.on('closed', () => count++);
    emitter.emit('closed');
    sub.dispose();
    emitter.emit('closed');
    expect(onceCount).toBe(1);
    expect(count).toBe(1);
    expect(emitter.listenerCount('closed')).toBe(0);
  });

  it('applies subscriptions made during an emit from the next emit on', () => {
    const emitter = new TypedEmitter<Events>();
    const order: string[] = [];
    emitter.on('closed', () => {
      order.push('first');
      emitter.on('closed', () => order.push('late'));
    });
    emitter.emit('closed');
    expect(order).toEqual(['first']);
  });

  it('still calls, in this emit, a listener removed by an earlier one, and not from the next emit on', () => {
    const emitter = new TypedEmitter<Events>();
    const order: string[] = [];
    const second = (): void => {
      order.push('second');
    };
    emitter.on('closed', () => {
      order.push('first');
      emitter.off('closed', second);
    });
    emitter.on('closed', second);
    emitter.on('closed', () => order.push('third'));
    emitter.emit('closed');
    emitter.emit('closed');
    expect(order).toEqual(['first', 'second', 'third', 'first', 'third']);
    expect(emitter.listenerCount('closed')).toBe(2);
  });
});
