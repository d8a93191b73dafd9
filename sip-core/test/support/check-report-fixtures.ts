// A report with everything a renderer must handle: each status, causes with hangup codes, remedies, SIP
// evidence whose header carries markup, a control character, a waveform, and a target with a password.

import {
  CheckRunner,
  createCheckReport,
  type CheckDefinition,
  type CheckReport,
  type SipEvidenceMessage,
} from '../../src/checks/index.js';
import { ManualClock } from '../../src/common/manual-clock.js';
import { SecretString } from '../../src/policy/index.js';
import { fakeCheck, testTarget } from './check-fixtures.js';

export const HOSTILE_HEADER = 'X-Evil: <script>alert("pwned")</script> & "quotes" \'apostrophes\'';
export const TEST_PASSWORD = 'correct horse battery staple';

function message(from: 'us' | 'them', text: string, atMs: number): SipEvidenceMessage {
  const us = { address: '127.0.0.1', port: 40_000 };
  const them = { address: '127.0.0.1', port: 5060 };
  return {
    timestampMs: Date.UTC(2026, 0, 1) + atMs,
    source: from === 'us' ? us : them,
    destination: from === 'us' ? them : us,
    transport: 'udp',
    text,
    localEnd: from === 'us' ? 'source' : 'destination',
  };
}

const OPTIONS_REQUEST = [
  'OPTIONS sip:21784177241578.zt.plivo.com SIP/2.0',
  'Via: SIP/2.0/UDP 127.0.0.1:40000;branch=z9hG4bKtest1;rport',
  'Max-Forwards: 70',
  'To: <sip:21784177241578.zt.plivo.com>',
  'From: <sip:trunkline@127.0.0.1>;tag=abc',
  'Call-ID: report-fixture-1',
  'CSeq: 1 OPTIONS',
  'Content-Length: 0',
  '',
  '',
].join('\r\n');

const OPTIONS_RESPONSE = [
  'SIP/2.0 200 OK',
  'Via: SIP/2.0/UDP 127.0.0.1:40000;branch=z9hG4bKtest1;rport=40000',
  'To: <sip:21784177241578.zt.plivo.com>;tag=xyz',
  'From: <sip:trunkline@127.0.0.1>;tag=abc',
  'Call-ID: report-fixture-1',
  'CSeq: 1 OPTIONS',
  'Allow: INVITE, ACK, CANCEL, BYE',
  HOSTILE_HEADER,
  'Content-Length: 0',
  '',
  '',
].join('\r\n');

export function sampleChecks(): CheckDefinition<unknown>[] {
  return [
    fakeCheck('options', (context) => {
      context.recordSip({
        label: 'OPTIONS <ping>',
        messages: [message('us', OPTIONS_REQUEST, 0), message('them', OPTIONS_RESPONSE, 12)],
      });
      context.note('Server said: <b>hello</b>\u0001');
      return Promise.resolve({
        status: 'pass',
        summary: 'Answered <200 OK> & fine',
        measurements: [
          { name: 'rttMs', value: 12.5, unit: 'ms' },
          { name: 'allow', value: 'INVITE, ACK, CANCEL, BYE' },
        ],
      });
    }),
    fakeCheck('auth', () =>
      Promise.resolve({
        status: 'fail',
        summary: '403 Forbidden (4180): the credentials were refused.',
        cause: {
          summary: 'The trunk refused the INVITE: 403 Forbidden, hangup code 4180 call_rejected_unauthorized',
          hangupCode: 4180,
          hangupCauseName: 'call_rejected_unauthorized',
          sipStatus: 403,
        },
        remedy: 'Check the username & password against the credential list <in the console>.',
      }),
    ),
    fakeCheck('outbound-call', 'pass', { dependsOn: ['auth'] }),
    fakeCheck('tls', 'warning'),
    fakeCheck('two-way-audio', () =>
      Promise.resolve({
        status: 'pass',
        summary: 'tone detected',
        evidence: {
          waveforms: [
            {
              label: '1 kHz tone received',
              sampleRateHz: 8000,
              samples: Array.from({ length: 800 }, (_, i) =>
                Math.round(8000 * Math.sin((2 * Math.PI * 1000 * i) / 8000)),
              ),
            },
          ],
        },
      }),
    ),
    fakeCheck('cps-flood', 'pass', { safety: 'emulator-only' }),
  ];
}

export async function sampleReport(): Promise<CheckReport> {
  const runner = new CheckRunner({ checks: sampleChecks(), services: {}, clock: new ManualClock() });
  const run = await runner.run(
    testTarget({
      credentials: { username: 'pbx-user', password: new SecretString(TEST_PASSWORD) },
      callerId: '+14155550100',
    }),
    { runId: 'run-<1>' },
  );
  return createCheckReport(run, '0.1.0');
}
