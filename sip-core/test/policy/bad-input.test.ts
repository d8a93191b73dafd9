// Bad input never throws out of the policy layer: the emulator calls these from socket handlers and file
// loaders. A deterministic generator feeds each parser strings built from the characters that matter to it.

import { describe, expect, it } from 'vitest';
import { parseAccountConfig } from '../../src/policy/account/account-config.js';
import { parseOriginationUri } from '../../src/policy/inbound/origination-uri.js';
import { routeInbound } from '../../src/policy/inbound/route-inbound.js';
import { classifyNumber } from '../../src/policy/numbers/number-intelligence.js';
import { evaluateRefer, parseReferTo } from '../../src/policy/refer/evaluate-refer.js';
import { parsePolicySettings } from '../../src/policy/settings/policy-settings.js';
import { evaluate } from '../../src/policy/engine/evaluate.js';
import { demo, idleCounters, invite } from '../support/policy-fixtures.js';

const ALPHABET = '+0123456789 -.()@:;=?&%<>"[]sipSIPtel:/\\zt.plivo.com\u0000é';

/** Mulberry32: a small seeded generator, so a failure reproduces. */
function generator(seed: number): () => number {
  let state = seed;
  return () => {
    state = (state + 0x6d2b79f5) | 0;
    let t = Math.imul(state ^ (state >>> 15), 1 | state);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

function strings(count: number, seed: number): string[] {
  const random = generator(seed);
  return Array.from({ length: count }, () =>
    Array.from(
      { length: Math.floor(random() * 40) },
      () => ALPHABET[Math.floor(random() * ALPHABET.length)],
    ).join(''),
  );
}

describe('bad input', () => {
  const inputs = [
    ...strings(400, 1),
    '',
    '%',
    '<sip:%E0%A4%A@x>',
    'sip:',
    '+',
    '00',
    '[',
    '[::1',
    'sip:a@[::1]:99999',
  ];

  it('never makes a parser or rule throw', () => {
    for (const text of inputs) {
      expect(() => classifyNumber(text), text).not.toThrow();
      expect(() => parseOriginationUri(text), text).not.toThrow();
      expect(() => parseReferTo(text), text).not.toThrow();
      expect(() => evaluateRefer(text, { callDirection: 'outbound' }, demo), text).not.toThrow();
      expect(() => routeInbound(text, demo), text).not.toThrow();
      expect(
        () =>
          evaluate(
            invite({
              requestUri: { user: text, host: text },
              fromUser: text,
              paiUser: text,
              source: { ip: text, port: 1 },
            }),
            demo,
            idleCounters(),
          ),
        text,
      ).not.toThrow();
    }
  });

  it('reports malformed configs instead of throwing', () => {
    for (const config of [
      undefined,
      null,
      0,
      'x',
      [],
      { trunks: 'x' },
      { trunks: [null, 1, 'a'] },
      { limits: [] },
    ]) {
      expect(parseAccountConfig(config).ok, JSON.stringify(config)).toBe(false);
    }
    expect(parsePolicySettings({ optionsRate: 'fast' }).ok).toBe(false);
  });
});
