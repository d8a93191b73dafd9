import { describe, expect, it } from 'vitest';
import { TrunklineError } from '../../src/common/errors.js';
import { ManualClock } from '../../src/common/manual-clock.js';
import { setListenerErrorHandler, TypedEmitter } from '../../src/common/typed-emitter.js';
import {
  errorEvent,
  policyDecisionEvent,
  stamped,
  type EmulatorEvents,
} from '../../src/emulator/emulator-events.js';
import { DEFAULT_POLICY_SETTINGS, evaluate } from '../../src/policy/index.js';
import { demo, idleCounters, invite } from '../support/policy-fixtures.js';

const clock = new ManualClock({ epochMs: Date.UTC(2026, 0, 1) });
const request = {
  callId: 'a@b',
  method: 'INVITE',
  transport: 'udp' as const,
  source: { address: '127.0.0.1', port: 5070 },
};

describe('emulator events', () => {
  it('lifts the response, cause and deciding rule out of a rejection, with the whole trace', () => {
    const decision = evaluate(
      invite({ fromUser: '+14155559999' }),
      demo,
      idleCounters(),
      DEFAULT_POLICY_SETTINGS,
    );
    const event = policyDecisionEvent(clock, request, decision);
    expect(event).toMatchObject({
      wallTimeMs: Date.UTC(2026, 0, 1),
      decision: 'reject',
      status: 403,
      cause: { code: 4190, causeName: 'unknown_caller_id', source: 'zentrunk' },
      rule: { ruleId: 'caller-id.owned', grade: 'D' },
    });
    expect(event.trace).toBe(decision.trace);
    expect(JSON.parse(JSON.stringify(event))).toEqual(event);
  });

  it('carries no response or rule for an allowed call', () => {
    const decision = evaluate(invite(), demo, idleCounters(), DEFAULT_POLICY_SETTINGS);
    const event = policyDecisionEvent(clock, request, decision);
    expect(event.decision).toBe('allow');
    expect(event).not.toHaveProperty('status');
    expect(event).not.toHaveProperty('rule');
  });

  it('reports errors by their stable code and message only', () => {
    expect(errorEvent(clock, 'internal', new TrunklineError('X_CODE', 'Something broke.'), 'c1')).toEqual({
      kind: 'internal',
      code: 'X_CODE',
      message: 'Something broke.',
      callUuid: 'c1',
      wallTimeMs: Date.UTC(2026, 0, 1),
    });
    expect(errorEvent(clock, 'bad-input', { password: 'hunter2' })).toEqual({
      kind: 'bad-input',
      code: 'UNKNOWN',
      message: 'unknown error',
      wallTimeMs: Date.UTC(2026, 0, 1),
    });
  });

  it('reach listeners through one typed emitter, and a throwing listener disturbs no other', () => {
    const emitter = new TypedEmitter<EmulatorEvents>();
    const seen: string[] = [];
    const failures: string[] = [];
    const previous = setListenerErrorHandler((_error, event) => failures.push(event));
    try {
      emitter.on('dtmf', () => {
        throw new Error('UI bug');
      });
      emitter.on('dtmf', (event) => seen.push(event.digit));
      emitter.emit('dtmf', stamped(clock, { callUuid: 'c1', digit: '5', durationMs: 100 }));
    } finally {
      setListenerErrorHandler(previous);
    }
    expect(seen).toEqual(['5']);
    expect(failures).toEqual(['dtmf']);
  });
});
