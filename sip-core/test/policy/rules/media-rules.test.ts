import { describe, expect, it } from 'vitest';
import { evaluate } from '../../../src/policy/engine/evaluate.js';
import { demo, hangupHeaders, idleCounters, invite } from '../../support/policy-fixtures.js';
import { runRow, type PolicyRow } from '../../support/policy-table.js';

const offer = (payloadTypes: number[], codecs: string[]) => ({
  sdp: { profile: 'RTP/AVP', payloadTypes, codecs, cryptoSuites: [], telephoneEvent: false },
});

describe('extension, codec and session-timer rules (§3, §4.2 #19–20, §8, §20)', () => {
  const rows: PolicyRow[] = [
    {
      name: 'Require: 100rel is 420 Bad Extension + Unsupported: 100rel, with no hangup code',
      attempt: { require: ['100rel'] },
      expected: {
        status: 420,
        reasonPhrase: 'Bad Extension',
        code: undefined,
        ruleId: 'request.require',
        headers: [{ name: 'Unsupported', value: '100rel' }],
      },
    },
    {
      name: 'every unsupported required tag is listed',
      attempt: { require: ['timer', '100rel', 'sec-agree'] },
      expected: {
        status: 420,
        reasonPhrase: 'Bad Extension',
        code: undefined,
        ruleId: 'request.require',
        headers: [{ name: 'Unsupported', value: '100rel, sec-agree' }],
      },
    },
    {
      name: 'Supported: 100rel alone is ignored',
      attempt: { supported: ['100rel'] },
      expected: { allow: 'request.require' },
    },
    {
      name: 'Require: timer is supported',
      attempt: { require: ['timer'] },
      expected: { allow: 'request.require' },
    },
    {
      name: 'an offer without PCMU/PCMA is 488 + 4620 (default)',
      attempt: offer([18, 96], ['G729', 'opus']),
      expected: {
        status: 488,
        reasonPhrase: 'Not Acceptable Here',
        code: 4620,
        causeName: 'codec_not_acceptable_here',
        source: 'zentrunk',
        ruleId: 'media.codecs',
        headers: hangupHeaders(4620, 488, 'codec_not_acceptable_here'),
      },
    },
    {
      name: 'an offer without PCMU/PCMA is 415 + 4220 with the 415 setting',
      attempt: offer([18], ['G729']),
      settings: { noG711Response: '415' },
      expected: {
        status: 415,
        reasonPhrase: 'Unsupported Media Type',
        code: 4220,
        causeName: 'unsupported_media_type',
        ruleId: 'media.codecs',
      },
    },
    {
      name: 'PCMA by rtpmap name on a dynamic PT passes',
      attempt: offer([96], ['pcma']),
      expected: { allow: 'media.codecs' },
    },
    {
      name: 'static PT 0 without rtpmap passes',
      attempt: offer([0], []),
      expected: { allow: 'media.codecs' },
    },
    {
      name: 'a late offer (no SDP) is not checked',
      attempt: { sdp: null },
      expected: { allow: 'media.codecs', outcome: 'skipped' },
    },
    {
      name: 'Session-Expires below 90 s is 422 + Min-SE: 90 + 4270',
      attempt: { sessionExpiresS: 60 },
      expected: {
        status: 422,
        reasonPhrase: 'Session Interval Too Small',
        code: 4270,
        causeName: 'session_interval_too_small',
        ruleId: 'session-timer.min-se',
        headers: [{ name: 'Min-SE', value: '90' }, ...hangupHeaders(4270, 422, 'session_interval_too_small')],
      },
    },
    {
      name: 'the Min-SE floor is a setting',
      attempt: { sessionExpiresS: 100 },
      settings: { minSessionExpiresS: 120 },
      expected: {
        status: 422,
        reasonPhrase: 'Session Interval Too Small',
        code: 4270,
        ruleId: 'session-timer.min-se',
        headers: [
          { name: 'Min-SE', value: '120' },
          ...hangupHeaders(4270, 422, 'session_interval_too_small'),
        ],
      },
    },
    {
      name: 'Session-Expires 1800 s passes',
      attempt: { sessionExpiresS: 1800 },
      expected: { allow: 'session-timer.min-se' },
    },
  ];

  it.each(rows)('$name', (row) => {
    runRow(row);
  });

  it('puts no hangup headers on a 420 (no call, no code)', () => {
    const decision = evaluate(invite({ require: ['100rel'] }), demo, idleCounters());
    expect(decision.kind === 'reject' && decision.headers.map((h) => h.name)).toEqual(['Unsupported']);
  });
});
