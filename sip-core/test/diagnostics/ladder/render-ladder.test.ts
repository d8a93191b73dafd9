import { describe, expect, it } from 'vitest';
import { buildLadder, renderLadder } from '../../../src/diagnostics/ladder/index.js';
import { answeredFlow, flowInputs, rejectedFlow, transferFlow } from '../../support/call-flows.js';

describe('renderLadder', () => {
  it('draws a rejected call with its hangup headers (snapshot)', () => {
    expect(renderLadder(buildLadder(flowInputs(rejectedFlow({ hangupCode: 4190 }))))).toMatchSnapshot();
  });

  it('draws an answered call with retransmissions (snapshot)', () => {
    expect(renderLadder(buildLadder(flowInputs(answeredFlow())))).toMatchSnapshot();
  });

  it.each([60, 80, 100, 132])('keeps every line within %i columns', (width) => {
    for (const flow of [rejectedFlow({ hangupCode: 4190 }), answeredFlow(), transferFlow()]) {
      const text = renderLadder(buildLadder(flowInputs(flow)), { width });
      for (const line of text.split('\n')) expect(line.length, line).toBeLessThanOrEqual(width);
    }
  });

  it('falls back to one line per message beyond four participants', () => {
    const inputs = flowInputs(rejectedFlow()).map((input, i) => ({
      ...input,
      source: { address: `127.0.0.${i + 1}`, port: 5060 },
      destination: { address: `127.0.1.${i + 1}`, port: 5060 },
    }));
    const text = renderLadder(buildLadder(inputs));
    expect(text).toContain('[0] -> [1]  INVITE (SDP)');
    expect(text).toContain('[6] -> [7]  ACK');
  });
});
