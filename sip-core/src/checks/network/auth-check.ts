// `auth`: the trunk challenges, or not, as the target says it is configured, and accepts the credentials.
//
// Zentrunk challenges the first INVITE on a credential trunk with 407 and never challenges IP-ACL trunks
// (BEHAVIOUR.md §4.2 row 5, §20); OPTIONS is answered before authentication (rule order, policy README), so it
// proves nothing about credentials: the probe is an INVITE. To place no call, it dials a destination that is
// not a number (PROBE_USER): after authentication Zentrunk refuses it (404 Prefix Not Supported, 4100) or the
// caller-ID rules do; should anything ring anyway the probe CANCELs it, and a 2xx is ACKed and ended with BYE
// (ADR 0111). Wrong credentials or an unlisted source IP → 403 + 4180 (O); a caller ID that is not the
// account's → 403 + 4190.

import { AUTH_HEADER_NAMES, DigestClient, DigestSecret } from '../../sip/auth/index.js';
import { createRequest, type SipRequest, type SipResponse } from '../../sip/message/index.js';
import type {
  CheckContext,
  CheckDefinition,
  CheckOutcome,
  MeasuredValue,
} from '../runner/check-definition.js';
import { withSipProbe, type NetworkCheckServices } from './network-check-services.js';
import { hangupCodeOf, responseCause } from './response-cause.js';
import type { ProbeResult, SipProbe } from './sip-probe.js';

/** Not a phone number: no route exists for it, so an accepted INVITE cannot become a charged call. */
export const PROBE_USER = 'trunkline-auth-check';

const CALLER_ID_CODES = new Set([4130, 4140, 4190, 4200]);

export const authCheck: CheckDefinition<NetworkCheckServices> = {
  id: 'auth',
  title: 'Authentication',
  description:
    'An INVITE without credentials is challenged (credential trunk) or not (IP-ACL trunk); with credentials the digest is accepted, not challenged again. No call is placed.',
  dependsOn: ['options'],
  safety: 'safe',
  timeoutMs: 90_000,
  run: runAuthCheck,
};

function runAuthCheck(context: CheckContext<NetworkCheckServices>): Promise<CheckOutcome> {
  return withSipProbe(context, (probe) => authenticate(context, probe));
}

async function authenticate(
  context: CheckContext<NetworkCheckServices>,
  probe: SipProbe,
): Promise<CheckOutcome> {
  const { target, signal } = context;
  const credentials = target.credentials;
  const first = createRequest({
    method: 'INVITE',
    requestUri: probe.requestUri(PROBE_USER),
    from: probe.fromUri(),
    to: probe.requestUri(PROBE_USER),
    contact: probe.contactUri(),
    headers: [
      ['User-Agent', 'Trunkline check'],
      ['Subject', 'Trunkline authentication check (not a call)'],
    ],
  });
  context.progress(0.1, 'INVITE without credentials');
  const unauthenticated = await probe.invite(first, signal);
  context.recordSip(probe.takeEvidence('INVITE without credentials'));
  const early = unreachable(unauthenticated);
  if (early) return early;
  const response = (unauthenticated as Extract<ProbeResult, { kind: 'final' }>).response;
  const status = response.statusCode;
  const challenged = status === 401 || status === 407;
  const measurements: MeasuredValue[] = [
    { name: 'challenged', value: challenged },
    { name: 'unauthenticatedStatus', value: status },
  ];

  if (!challenged) {
    if (status === 403) {
      const code = hangupCodeOf(response);
      if (code !== undefined && CALLER_ID_CODES.has(code))
        return callerIdRefused(response, measurements, target.callerId);
      return forbidden(response, measurements, credentials !== undefined ? 'acl-with-credentials' : 'acl');
    }
    if (credentials !== undefined) {
      return {
        status: 'warning',
        summary: `The trunk did not challenge (${status} ${response.reasonPhrase}): this source is let in by IP ACL, so the credentials were not tested.`,
        measurements,
        cause: {
          summary: 'A credential trunk challenges the first INVITE with 407 (§4.2); this one did not.',
          sipStatus: status,
        },
        remedy:
          'Fine if the trunk authenticates by IP ACL as well (either one suffices); otherwise check the trunk’s authentication settings.',
      };
    }
    return accepted(
      response,
      measurements,
      'The trunk let the INVITE through without a challenge (IP-ACL trunk)',
    );
  }

  const names = AUTH_HEADER_NAMES[status === 401 ? 401 : 407];
  const challenges = response.headers.getAll(names.challenge);
  if (credentials === undefined) {
    return {
      status: 'fail',
      summary: `The trunk asks for credentials (${status}), and the target has none.`,
      measurements,
      cause: {
        summary: 'This is a credential trunk: every INVITE must answer a digest challenge.',
        sipStatus: status,
      },
      remedy:
        'Pass the credential list’s username and password (--username, --password-env), or add this IP to the trunk’s IP ACL.',
    };
  }

  const client = new DigestClient({
    username: credentials.username,
    secret: DigestSecret.fromPassword(credentials.password.reveal()),
  });
  let authorization;
  try {
    authorization = client.respond(challenges, { method: 'INVITE', uri: first.requestUri.toString() });
  } catch (error) {
    return {
      status: 'fail',
      summary: 'The trunk’s challenge cannot be answered.',
      measurements,
      cause: {
        summary: `Unusable ${names.challenge}: ${(error as Error).message}`,
        errorCode: (error as { code?: string }).code ?? 'ERR_DIGEST',
      },
      remedy: 'Zentrunk challenges with MD5 (SHA-256 optional); check what answers on this address.',
    };
  }
  measurements.push(
    { name: 'realm', value: authorization.challenge.realm },
    { name: 'algorithm', value: authorization.credentials.algorithm ?? 'MD5' },
    { name: 'qop', value: authorization.credentials.qop ?? 'none' },
  );
  context.progress(0.5, 'INVITE with credentials');
  const second = retryWith(first, names.credentials, authorization.headerValue);
  const authenticated = await probe.invite(second, signal);
  context.recordSip(probe.takeEvidence('INVITE with credentials'));
  const late = unreachable(authenticated);
  if (late) return { ...late, measurements };
  const answer = (authenticated as Extract<ProbeResult, { kind: 'final' }>).response;
  measurements.push({ name: 'authenticatedStatus', value: answer.statusCode });
  if (answer.statusCode === 401 || answer.statusCode === 407) {
    const stale = /\bstale\s*=\s*"?true/i.test(answer.headers.getAll(names.challenge).join(','));
    return {
      status: 'fail',
      summary: `The trunk challenged again (${answer.statusCode}${stale ? ', stale nonce' : ''}): the credentials were not accepted.`,
      measurements,
      cause: {
        summary: `The digest for user ${credentials.username} was refused (RFC 3261 §22.2: a new challenge means wrong credentials).`,
        hangupCode: 4180,
        hangupCauseName: 'call_rejected_unauthorized',
        sipStatus: answer.statusCode,
      },
      remedy: 'Check the username and password against the trunk’s credential list in the Plivo console.',
    };
  }
  if (answer.statusCode === 403) {
    const code = hangupCodeOf(answer);
    if (code !== undefined && CALLER_ID_CODES.has(code))
      return callerIdRefused(answer, measurements, target.callerId);
    return forbidden(answer, measurements, 'credentials');
  }
  return accepted(
    answer,
    measurements,
    'Credentials accepted: the trunk answered the digest without a new challenge',
  );
}

/** The same INVITE again with credentials: same Call-ID and From tag, CSeq + 1 (RFC 3261 §22.2). */
function retryWith(first: SipRequest, header: string, value: string): SipRequest {
  return createRequest({
    method: 'INVITE',
    requestUri: first.requestUri,
    from: first.from!,
    to: first.to!,
    callId: first.callId!,
    cseq: first.cseq!.seq + 1,
    contact: first.contacts,
    headers: [
      ['User-Agent', 'Trunkline check'],
      ['Subject', 'Trunkline authentication check (not a call)'],
      [header, value],
    ],
  });
}

function unreachable(result: ProbeResult): CheckOutcome | undefined {
  if (result.kind === 'timeout') {
    return {
      status: 'fail',
      summary: 'The trunk did not answer the INVITE (Timer B).',
      cause: { summary: 'No response to INVITE within 64·T1.', errorCode: 'TIMER_B' },
      remedy:
        'See the OPTIONS check: the trunk is not reachable on this transport and port, or this source is blocked.',
    };
  }
  if (result.kind === 'transport-error') {
    return {
      status: 'fail',
      summary: `The INVITE could not be sent: ${result.message}.`,
      cause: { summary: result.message, ...(result.code !== undefined ? { errorCode: result.code } : {}) },
      remedy: 'Check the address, port and transport of the trunk.',
    };
  }
  return undefined;
}

/** Authenticated, then refused by the caller-ID rules (§4.2 rows 10–13): a warning when no caller ID was set. */
function callerIdRefused(
  response: SipResponse,
  measurements: MeasuredValue[],
  callerId: string | undefined,
): CheckOutcome {
  const { cause, remedy } = responseCause(response, 'Authenticated, but the caller ID was refused');
  return {
    status: callerId === undefined ? 'warning' : 'fail',
    summary:
      callerId === undefined
        ? 'Authentication passed; the trunk then refused the caller ID (no --caller-id was given).'
        : `Authentication passed, but the caller ID ${callerId} was refused (${hangupCodeOf(response)}).`,
    measurements,
    cause,
    remedy: remedy ?? 'Use one of your Plivo numbers as caller ID (--caller-id).',
  };
}

function forbidden(
  response: SipResponse,
  measurements: MeasuredValue[],
  configuration: 'acl' | 'acl-with-credentials' | 'credentials',
): CheckOutcome {
  const { cause, remedy } = responseCause(response, 'The trunk refused the INVITE');
  const code = hangupCodeOf(response);
  const explanation =
    code === undefined
      ? ' Without X-ZT-Hangup-Code, 403 means 4180 call_rejected_unauthorized (wrong credentials, or this IP is not in the IP ACL) or 4190 unknown_caller_id (the caller ID is not a Plivo number of this account).'
      : '';
  return {
    status: 'fail',
    summary: `403 Forbidden${code !== undefined ? ` (${code})` : ''}: ${
      configuration === 'credentials' ? 'the credentials were refused' : 'this source is not allowed'
    }.`,
    measurements,
    cause: { ...cause, summary: cause.summary + explanation },
    remedy:
      remedy ??
      (configuration === 'credentials'
        ? 'Check the username and password against the credential list, and that --caller-id is one of your Plivo numbers.'
        : 'Add this machine’s public IP to the trunk’s IP access control list, or give the credential list’s username and password.'),
  };
}

function accepted(response: SipResponse, measurements: MeasuredValue[], lead: string): CheckOutcome {
  return {
    status: 'pass',
    summary: `${lead} (${response.statusCode} ${response.reasonPhrase}${response.statusCode === 487 ? ', cancelled before it could ring through' : ''}).`,
    measurements,
  };
}
