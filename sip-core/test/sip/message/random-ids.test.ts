import { describe, expect, it } from 'vitest';
import {
  generateBranch,
  generateCallId,
  generateTag,
  isRfc3261Branch,
} from '../../../src/sip/message/index.js';

describe('random identifiers', () => {
  it('have the RFC 3261 shapes', () => {
    expect(isRfc3261Branch(generateBranch())).toBe(true);
    expect(generateBranch()).toMatch(/^z9hG4bK[0-9a-f]{24}$/);
    expect(generateTag()).toMatch(/^[0-9a-f]{16}$/);
    expect(generateCallId()).toMatch(/^[0-9a-f]{32}$/);
    expect(generateCallId('pbx.example.com')).toMatch(/^[0-9a-f]{32}@pbx\.example\.com$/);
  });

  it('do not repeat across many draws (pool refills included)', () => {
    const seen = new Set<string>();
    for (let i = 0; i < 5000; i++) seen.add(generateTag()).add(generateBranch()).add(generateCallId());
    expect(seen.size).toBe(15000);
  });
});
