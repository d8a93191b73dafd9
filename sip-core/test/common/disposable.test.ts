import { describe, expect, it } from 'vitest';
import { DisposableStore, toDisposable } from '../../src/common/disposable.js';

describe('DisposableStore', () => {
  it('disposes in reverse order, once', () => {
    const order: number[] = [];
    const store = new DisposableStore();
    store.add(toDisposable(() => order.push(1)));
    store.add(toDisposable(() => order.push(2)));
    store.dispose();
    store.dispose();
    expect(order).toEqual([2, 1]);
    expect(store.isDisposed).toBe(true);
  });

  it('disposes everything even when one throws, then rethrows', () => {
    let disposed = 0;
    const store = new DisposableStore();
    store.add(toDisposable(() => disposed++));
    store.add(
      toDisposable(() => {
        throw new Error('socket close failed');
      }),
    );
    store.add(toDisposable(() => disposed++));
    expect(() => store.dispose()).toThrow('socket close failed');
    expect(disposed).toBe(2);
  });

  it('disposes items added after the store was disposed at once', () => {
    const store = new DisposableStore();
    store.dispose();
    let disposed = false;
    store.add(toDisposable(() => (disposed = true)));
    expect(disposed).toBe(true);
  });
});
