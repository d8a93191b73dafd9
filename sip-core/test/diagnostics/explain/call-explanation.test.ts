import { describe, expect, it } from 'vitest';
import { explainCall, renderCallExplanation } from '../../../src/diagnostics/explain/index.js';
import { buildLadder } from '../../../src/diagnostics/ladder/index.js';
import { answeredFlow, cancelledFlow, flowInputs, rejectedFlow } from '../../support/call-flows.js';

describe('explainCall', () => {
  it('takes the code from X-ZT-Hangup-Code and quotes the INVITE fields to check', () => {
    const explanation = explainCall(buildLadder(flowInputs(rejectedFlow({ hangupCode: 4190 }))));
    expect(explanation.hangupCode).toEqual({ code: 4190, origin: 'header' });
    expect(explanation.finalResponse).toMatchObject({ status: 403 });
    expect(explanation.causes.map((c) => [c.code, c.inferred])).toEqual([[4190, false]]);
    expect(explanation.evidence).toEqual([
      { field: 'from', label: 'From', value: 'sip:+14155550100@127.0.0.1' },
      { field: 'p-asserted-identity', label: 'P-Asserted-Identity', value: '(absent)' },
    ]);
    const text = renderCallExplanation(explanation);
    expect(text).toContain('4190 (X-ZT-Hangup-Code)');
    expect(text).toContain('unknown_caller_id');
    expect(text).toContain('Remedy:');
  });

  it('infers candidates from the status when the header is missing, and marks them', () => {
    const explanation = explainCall(buildLadder(flowInputs(rejectedFlow())));
    expect(explanation.hangupCode).toBeUndefined();
    expect(explanation.causes.length).toBeGreaterThan(1);
    expect(explanation.causes.every((c) => c.inferred)).toBe(true);
    expect(explanation.headline).toMatch(/No X-ZT-Hangup-Code header: \d+ causes fit SIP 403 \(inferred\)/);
    expect(renderCallExplanation(explanation)).toContain('Candidate 4190 unknown_caller_id (inferred)');
  });

  it('explains an answered call by its BYE code, and a cancelled one by its outcome', () => {
    const answered = explainCall(buildLadder(flowInputs(answeredFlow())));
    expect(answered.hangupCode).toEqual({ code: 3000, origin: 'header' });
    expect(answered.headline).toMatch(/^Answered \(200\); Zentrunk hung up with BYE\./);
    const cancelled = explainCall(buildLadder(flowInputs(cancelledFlow())));
    expect(cancelled.outcome.kind).toBe('cancelled');
    expect(cancelled.causes.map((c) => c.code)).toEqual(expect.arrayContaining([4550]));
  });
});
