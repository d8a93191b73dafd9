// `options`: an OPTIONS ping over the target's transport answers 200, with the round-trip time and the Allow
// header held against the methods BEHAVIOUR.md §3 lists. Pings go through the rate guard (at most one per 15 s
// per target, retries included); an unanswered ping is retried after the guard's interval, up to three pings.

import type { SipResponse } from '../../sip/message/index.js';
import type {
  CheckContext,
  CheckDefinition,
  CheckOutcome,
  MeasuredValue,
} from '../runner/check-definition.js';
import { withSipProbe, type NetworkCheckServices } from './network-check-services.js';
import { responseCause } from './response-cause.js';
import type { ProbeResult, SipProbe } from './sip-probe.js';

/** Zentrunk's methods (§3, grade D). */
export const ZENTRUNK_METHODS = ['INVITE', 'ACK', 'CANCEL', 'BYE', 'UPDATE', 'OPTIONS', 'REFER'] as const;
/** What a trunk must allow for calls at all. */
export const CALL_METHODS = ['INVITE', 'ACK', 'CANCEL', 'BYE'] as const;
/** Methods Zentrunk documents as not supported (§3): listing them suggests the peer is not Zentrunk. */
export const NOT_ZENTRUNK_METHODS = [
  'INFO',
  'PRACK',
  'MESSAGE',
  'PUBLISH',
  'SUBSCRIBE',
  'NOTIFY',
  'REGISTER',
] as const;

export const OPTIONS_MAX_ATTEMPTS = 3;

export const optionsCheck: CheckDefinition<NetworkCheckServices> = {
  id: 'options',
  title: 'SIP OPTIONS',
  description:
    'OPTIONS over the target transport: 200 OK, round-trip time, Allow header against Zentrunk’s methods; never more than one ping per 15 s.',
  dependsOn: ['dns', 'tls'],
  safety: 'safe',
  // Three pings: two 15 s waits and up to three 32 s Timer F expiries.
  timeoutMs: 150_000,
  run: runOptionsCheck,
};

function runOptionsCheck(context: CheckContext<NetworkCheckServices>): Promise<CheckOutcome> {
  return withSipProbe(context, (probe) => ping(context, probe));
}

async function ping(context: CheckContext<NetworkCheckServices>, probe: SipProbe): Promise<CheckOutcome> {
  let result: ProbeResult | undefined;
  let attempts = 0;
  while (attempts < OPTIONS_MAX_ATTEMPTS) {
    attempts++;
    context.progress((attempts - 1) / OPTIONS_MAX_ATTEMPTS, `ping ${attempts}`);
    result = await probe.options(context.signal);
    if (result.kind !== 'timeout') break;
    context.note(`OPTIONS ${attempts} got no answer in ${Math.round(result.afterMs)} ms (Timer F).`);
  }
  context.recordSip(probe.takeEvidence('OPTIONS'));
  const tries: MeasuredValue = { name: 'attempts', value: attempts };
  switch (result!.kind) {
    case 'timeout':
      return {
        status: 'fail',
        summary: `No answer to ${attempts} OPTIONS pings to ${probe.targetKey}.`,
        measurements: [tries],
        cause: {
          summary: `The trunk did not answer OPTIONS over ${context.target.transport.toUpperCase()}.`,
          errorCode: 'TIMER_F',
        },
        remedy:
          'Check the transport and port (5060 UDP/TCP, 5061 TLS), that your firewall lets SIP out and back in, and that this source is not blocked for pinging too often (more than once per 15 s).',
      };
    case 'transport-error':
      return {
        status: 'fail',
        summary: `OPTIONS could not be sent to ${probe.targetKey}: ${result!.message}.`,
        measurements: [tries],
        cause: {
          summary: result!.message,
          ...(result!.code !== undefined ? { errorCode: result!.code } : {}),
        },
        remedy: 'Check the address, port and transport of the trunk, and the TLS check when on TLS.',
      };
    case 'final':
      return judgeResponse(result!.response, result!.rttMs, tries, context);
  }
}

function judgeResponse(
  response: SipResponse,
  rttMs: number,
  tries: MeasuredValue,
  context: CheckContext<NetworkCheckServices>,
): CheckOutcome {
  const status = response.statusCode;
  const measurements: MeasuredValue[] = [
    { name: 'status', value: status },
    { name: 'rttMs', value: Math.round(rttMs * 10) / 10, unit: 'ms' },
    tries,
  ];
  const server = response.headers.get('Server') ?? response.headers.get('User-Agent');
  if (server !== undefined) measurements.push({ name: 'server', value: server });
  if (status === 401 || status === 407) {
    return {
      status: 'warning',
      summary: `The trunk answers, but challenged the OPTIONS (${status}); Zentrunk answers pings without credentials.`,
      measurements,
      cause: {
        summary: `OPTIONS was challenged with ${status} ${response.reasonPhrase}.`,
        sipStatus: status,
      },
      remedy: 'Check that the domain and port lead to Zentrunk and not to another proxy.',
    };
  }
  if (status !== 200) {
    const { cause, remedy } = responseCause(response, 'OPTIONS was refused');
    return {
      status: 'fail',
      summary: `OPTIONS answered ${status} ${response.reasonPhrase}.`,
      measurements,
      cause,
      remedy:
        remedy ??
        (status === 403
          ? 'Zentrunk may block sources that ping more than once per 15 s; wait five minutes and check the trunk domain and your IP ACL.'
          : 'Check the termination SIP domain and the trunk’s configuration in the Plivo console.'),
    };
  }
  const allow = response.allow.map((m) => m.toUpperCase());
  measurements.push({ name: 'allow', value: allow.join(', ') });
  if (allow.length === 0) {
    context.note('The 200 OK carries no Allow header (RFC 3261 §11.2 says it SHOULD).');
    return { status: 'pass', summary: `200 OK in ${Math.round(rttMs)} ms (no Allow header).`, measurements };
  }
  const missing = CALL_METHODS.filter((m) => !allow.includes(m));
  const foreign = NOT_ZENTRUNK_METHODS.filter((m) => allow.includes(m));
  const notListed = ZENTRUNK_METHODS.filter((m) => !allow.includes(m));
  if (notListed.length > 0) {
    context.note(
      `Allow omits ${notListed.join(', ')}; Zentrunk's own traces list INVITE,ACK,CANCEL,BYE,UPDATE (BEHAVIOUR.md §3), so OPTIONS and REFER may be missing and still work.`,
    );
  }
  if (missing.length > 0 || foreign.length > 0) {
    const parts = [
      ...(missing.length > 0 ? [`it does not allow ${missing.join(', ')}`] : []),
      ...(foreign.length > 0 ? [`it allows ${foreign.join(', ')}, which Zentrunk does not support`] : []),
    ];
    return {
      status: 'warning',
      summary: `200 OK in ${Math.round(rttMs)} ms, but ${parts.join(' and ')}.`,
      measurements,
      cause: { summary: `The Allow header (${allow.join(', ')}) does not look like Zentrunk's (§3).` },
      remedy: 'Check that the trunk domain and port lead to Zentrunk, not to another SIP server on the way.',
    };
  }
  return {
    status: 'pass',
    summary: `200 OK in ${Math.round(rttMs)} ms; Allow: ${allow.join(', ')}.`,
    measurements,
  };
}
