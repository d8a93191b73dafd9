import { describe, expect, it } from 'vitest';
import {
  explainHangup,
  type HangupEvidence,
  type HangupExplanation,
} from '../../src/ua/hangup-explanation.js';

type Row = [name: string, evidence: HangupEvidence, expected: Partial<HangupExplanation>];

describe('hangup explanation (BEHAVIOUR.md §13)', () => {
  const rows: Row[] = [
    [
      'a 403 with X-ZT-Hangup-Code 4180 is the trunk’s word: wrong credentials, with the remedy',
      {
        ending: 'rejected',
        statusCode: 403,
        reasonPhrase: 'Forbidden',
        hangupCodeHeader: '4180',
        reasonHeaders: ['SIP;cause=403;text="call_rejected_unauthorized"'],
      },
      {
        code: 4180,
        name: 'call_rejected_unauthorized',
        source: 'zentrunk',
        inferred: false,
        basis: 'x-zt-hangup-code',
        sipStatus: 403,
      },
    ],
    [
      'a 403 with only the Reason header names the cause too',
      { ending: 'rejected', statusCode: 403, reasonHeaders: ['SIP ;cause=403 ;text="unknown_caller_id"'] },
      { code: 4190, name: 'unknown_caller_id', inferred: false, basis: 'reason-header' },
    ],
    [
      'an ambiguous cause name (forbidden: 4040, 4060, 4540) is narrowed by the status and marked inferred',
      { ending: 'rejected', statusCode: 403, reasonHeaders: ['SIP;cause=403;text="forbidden"'] },
      { name: 'forbidden', inferred: true, basis: 'reason-header' },
    ],
    [
      'a bare 486 is user_busy from the carrier, inferred from the status',
      { ending: 'rejected', statusCode: 486, reasonPhrase: 'Busy Here' },
      { code: 4410, name: 'user_busy', source: 'carrier', inferred: true, basis: 'sip-status' },
    ],
    [
      'a bare 403 is inferred, with the other 403 causes as alternatives',
      { ending: 'rejected', statusCode: 403 },
      { inferred: true, basis: 'sip-status', sipStatus: 403 },
    ],
    [
      'our CANCEL (487) is user_cancelled by the customer',
      { ending: 'cancelled', statusCode: 487 },
      { code: 4550, name: 'user_cancelled', source: 'customer', inferred: true, basis: 'call-flow' },
    ],
    [
      'a BYE from the trunk without headers is a normal hangup by the carrier',
      { ending: 'remote-bye' },
      { code: 3000, name: 'normal_hangup', source: 'carrier', inferred: true, basis: 'call-flow' },
    ],
    [
      'a BYE from the trunk with X-ZT-Hangup-Code 3020 is an RTP timeout, as the trunk says',
      { ending: 'remote-bye', hangupCodeHeader: '3020', reasonHeaders: ['SIP;cause=200;text="rtp_timeout"'] },
      { code: 3020, name: 'rtp_timeout', source: 'zentrunk', inferred: false, basis: 'x-zt-hangup-code' },
    ],
    [
      'our BYE is a normal hangup by the customer',
      { ending: 'local-bye' },
      { code: 3010, name: 'normal_hangup', source: 'customer', inferred: true },
    ],
    [
      'a caller who hangs up before we answer is carrier_cancelled (§5.3)',
      { ending: 'remote-cancel', statusCode: 487 },
      { code: 4420, name: 'carrier_cancelled', inferred: true, basis: 'call-flow' },
    ],
    [
      'declining an inbound call with 486 maps like a PBX busy (§5.3)',
      { ending: 'declined', statusCode: 486 },
      { code: 4410, source: 'customer', inferred: true, basis: 'call-flow' },
    ],
    [
      'no response at all has no Zentrunk code: the trunk never saw the call',
      { ending: 'no-response', statusCode: 408 },
      { code: undefined, basis: 'none', inferred: true },
    ],
    [
      'an unknown four-digit code is reported as sent, without a catalogue entry',
      { ending: 'rejected', statusCode: 503, hangupCodeHeader: '4999' },
      { code: 4999, inferred: false, basis: 'x-zt-hangup-code', remedy: undefined },
    ],
    [
      'a malformed hangup code header is ignored in favour of the status',
      { ending: 'rejected', statusCode: 486, hangupCodeHeader: 'busy' },
      { code: 4410, basis: 'sip-status' },
    ],
  ];

  it.each(rows)('%s', (_name, evidence, expected) => {
    const explanation = explainHangup(evidence);
    expect(explanation).toMatchObject(expected);
    if (explanation.code !== undefined && explanation.basis !== 'x-zt-hangup-code') {
      expect(explanation.remedy?.length).toBeGreaterThan(10);
    }
  });

  it('gives the remedy of 4180 in words a user can act on', () => {
    const explanation = explainHangup({ ending: 'rejected', statusCode: 403, hangupCodeHeader: '4180' });
    expect(explanation.remedy).toMatch(/username and password/);
    expect(explanation.meaning).toMatch(/Wrong credentials/);
  });

  it('lists alternatives for an inferred status, without repeating the chosen one', () => {
    const explanation = explainHangup({ ending: 'rejected', statusCode: 403 });
    expect(explanation.alternatives.length).toBeGreaterThan(2);
    expect(explanation.alternatives.map((a) => a.code)).not.toContain(explanation.code);
  });
});
