import { describe, expect, it } from 'vitest';
import { TrunklineError, describeError, toError } from '../../src/common/errors.js';

describe('describeError', () => {
  it('gives an error’s message and a thrown string as it is', () => {
    expect(describeError(new Error('socket closed'))).toBe('socket closed');
    expect(describeError('socket closed')).toBe('socket closed');
  });

  it('does not turn any other thrown value into text (it might hold a secret)', () => {
    expect(describeError({ password: 'Trunkline#2026' })).toBe('unknown error');
    expect(describeError(42)).toBe('unknown error');
    expect(describeError(undefined)).toBe('unknown error');
  });
});

describe('toError', () => {
  it('returns an Error (a TrunklineError too) itself, so its stack, code and cause survive', () => {
    const plain = new Error('refused');
    const coded = new TrunklineError('STORE_FAILED', 'disk full', { cause: plain });
    expect(toError(plain)).toBe(plain);
    expect(toError(coded)).toBe(coded);
  });

  it('wraps anything else in an Error with describeError’s text', () => {
    const fromString = toError('EHOSTUNREACH');
    expect(fromString).toBeInstanceOf(Error);
    expect(fromString.message).toBe('EHOSTUNREACH');
    const fromObject = toError({ password: 'Trunkline#2026' });
    expect(fromObject.message).toBe('unknown error');
    expect(fromObject.message).not.toContain('Trunkline#2026');
  });
});
