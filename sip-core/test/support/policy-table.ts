// The runner of the table-driven rule tests: each row is an attempt (changes to a valid INVITE), optional
// counters, account and settings, and the decision expected.

import { expect } from 'vitest';
import type { Account } from '../../src/policy/account/account-schema.js';
import type { PolicyCounters } from '../../src/policy/engine/call-attempt.js';
import { evaluate } from '../../src/policy/engine/evaluate.js';
import type { PolicyDecision } from '../../src/policy/engine/policy-decision.js';
import { policySettings, type PolicySettingsInput } from '../../src/policy/settings/policy-settings.js';
import {
  demo,
  expectReject,
  idleCounters,
  invite,
  type AttemptOverrides,
  type ExpectedReject,
} from './policy-fixtures.js';

export interface PolicyRow {
  readonly name: string;
  readonly attempt?: AttemptOverrides;
  readonly counters?: PolicyCounters;
  readonly account?: Account;
  readonly settings?: PolicySettingsInput;
  /** A rejection, or 'allow' (then `ruleId` names the rule whose trace entry must pass or be skipped). */
  readonly expected: ExpectedReject | { readonly allow: string; readonly outcome?: 'pass' | 'skipped' };
}

export function runRow(row: PolicyRow): PolicyDecision {
  const decision = evaluate(
    invite(row.attempt),
    row.account ?? demo,
    idleCounters(row.counters),
    policySettings(row.settings),
  );
  if ('allow' in row.expected) {
    expect(decision.kind, JSON.stringify(decision.trace.at(-1))).toBe('allow');
    const entry = decision.trace.find((t) => t.ruleId === (row.expected as { allow: string }).allow);
    expect(entry?.outcome).toBe(row.expected.outcome ?? 'pass');
  } else {
    expectReject(decision, row.expected);
  }
  return decision;
}
