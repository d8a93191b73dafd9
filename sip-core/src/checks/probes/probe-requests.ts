// The requests the negative probes send, built with our own SIP stack's message model: INVITEs with a G.711
// offer (or one Zentrunk cannot accept), answered digest challenges, and the out-of-dialog requests Zentrunk does
// not support. Every INVITE goes through `SipProbe.invite`, so a probe that is let through is CANCELled while it
// rings, and a 2xx is ACKed and ended with BYE at once: no probe leaves a call up.

import { randomBytes } from 'node:crypto';
import { AUTH_HEADER_NAMES, DigestClient, DigestSecret } from '../../sip/auth/index.js';
import { createRequest, type SipRequest, type SipResponse } from '../../sip/message/index.js';
import type { SecretString } from '../../policy/index.js';
import type { ProbeResult, SipProbe } from '../network/sip-probe.js';
import { hangupCodeOf } from '../network/response-cause.js';
import type { ObservedResponse } from './compare-response.js';
import type { ProbeCall } from './probe-plan.js';

export interface InviteSpec {
  readonly call: ProbeCall;
  readonly offer: 'g711' | 'no-g711';
  readonly extraHeaders?: ReadonlyArray<readonly [string, string]>;
}

export interface ProbeCredentials {
  readonly username: string;
  readonly password: SecretString;
}

/** A probe INVITE and what came back: the first answer and, after a challenge we answered, the second. */
export interface InviteOutcome {
  readonly first: ProbeResult;
  /** The answer to the INVITE with credentials; the same as `first` when there was no challenge to answer. */
  readonly final: ProbeResult;
  readonly answeredChallenge: boolean;
}

const USER_AGENT: readonly [string, string] = ['User-Agent', 'Trunkline check (negative probe)'];

/**
 * The SDP offer (RFC 4566): PCMU, PCMA and telephone-event, or only G.729 and GSM — static payload types
 * Zentrunk does not take (§8). The port is the discard port: a probe call is ended before media matters.
 */
export function probeSdp(localAddress: string, offer: 'g711' | 'no-g711'): string {
  const family = localAddress.includes(':') ? 'IP6' : 'IP4';
  const formats = offer === 'g711' ? '0 8 101' : '18 3';
  const rtpmaps =
    offer === 'g711'
      ? [
          'a=rtpmap:0 PCMU/8000',
          'a=rtpmap:8 PCMA/8000',
          'a=rtpmap:101 telephone-event/8000',
          'a=fmtp:101 0-16',
        ]
      : ['a=rtpmap:18 G729/8000', 'a=fmtp:18 annexb=no', 'a=rtpmap:3 GSM/8000'];
  return [
    'v=0',
    `o=trunkline 1 1 IN ${family} ${localAddress}`,
    's=Trunkline probe',
    `c=IN ${family} ${localAddress}`,
    't=0 0',
    `m=audio 9 RTP/AVP ${formats}`,
    ...rtpmaps,
    'a=ptime:20',
    'a=sendrecv',
    '',
  ].join('\r\n');
}

export function buildInvite(
  probe: SipProbe,
  spec: InviteSpec,
  retry?: { readonly of: SipRequest; readonly header: string; readonly value: string },
): SipRequest {
  const uri = `sip:${spec.call.destination}@${spec.call.domain}`;
  return createRequest({
    method: 'INVITE',
    requestUri: uri,
    // A retry is the same INVITE with credentials: same Call-ID and From tag, CSeq + 1 (RFC 3261 §22.2).
    from: retry?.of.from ?? probe.localUri(spec.call.callerId),
    to: retry?.of.to ?? uri,
    ...(retry !== undefined ? { callId: retry.of.callId!, cseq: retry.of.cseq!.seq + 1 } : {}),
    contact: probe.contactUri(),
    headers: [
      USER_AGENT,
      ...(spec.extraHeaders ?? []),
      ...(retry !== undefined ? [[retry.header, retry.value] as const] : []),
    ].map(([name, value]) => [name, value] as [string, string]),
    contentType: 'application/sdp',
    body: probeSdp(probe.localAddress, spec.offer),
  });
}

/**
 * Sends the INVITE; when the trunk challenges and there are credentials, answers the challenge once with them.
 * A challenge that cannot be answered is returned as the final result.
 */
export async function sendInvite(
  probe: SipProbe,
  spec: InviteSpec,
  credentials: ProbeCredentials | undefined,
  signal: AbortSignal,
): Promise<InviteOutcome> {
  const invite = buildInvite(probe, spec);
  const first = await probe.invite(invite, signal);
  const status = first.kind === 'final' ? first.response.statusCode : undefined;
  if (credentials === undefined || (status !== 401 && status !== 407)) {
    return { first, final: first, answeredChallenge: false };
  }
  const names = AUTH_HEADER_NAMES[status];
  const client = new DigestClient({
    username: credentials.username,
    secret: DigestSecret.fromPassword(credentials.password.reveal()),
  });
  let value: string;
  try {
    value = client.respond((first as { response: SipResponse }).response.headers.getAll(names.challenge), {
      method: 'INVITE',
      uri: invite.requestUri.toString(),
    }).headerValue;
  } catch {
    return { first, final: first, answeredChallenge: false };
  }
  const final = await probe.invite(
    buildInvite(probe, spec, { of: invite, header: names.credentials, value }),
    signal,
  );
  return { first, final, answeredChallenge: true };
}

/** An out-of-dialog request of a method Zentrunk does not support (§3), addressed like a PBX would. */
export function buildUnsupportedRequest(probe: SipProbe, method: string, call: ProbeCall): SipRequest {
  // REGISTER addresses the domain and names the address of record in To and From (RFC 3261 §10.2).
  const register = method === 'REGISTER';
  const aor = `sip:${call.callerId}@${call.domain}`;
  const uri = register ? `sip:${call.domain}` : `sip:${call.destination}@${call.domain}`;
  const message = method === 'MESSAGE';
  return createRequest({
    method,
    requestUri: uri,
    from: register ? aor : probe.localUri(call.callerId),
    to: register ? aor : uri,
    contact: probe.contactUri(),
    headers: [USER_AGENT, ...(register ? [['Expires', '60'] as [string, string]] : [])],
    ...(message
      ? { contentType: 'text/plain', body: 'Trunkline negative probe: MESSAGE is not a Zentrunk method.' }
      : {}),
  });
}

/** A password that is certainly not the account's: random, and checked against the real one. */
export function wrongPassword(real: SecretString | undefined, make: () => string = randomPassword): string {
  for (;;) {
    const candidate = make();
    if (real === undefined || candidate !== real.reveal()) return candidate;
  }
}

function randomPassword(): string {
  return `Wrong#${randomBytes(6).toString('hex')}`;
}

/** The parts of a final response a comparison reads, for the headers it expects. */
export function observe(response: SipResponse, headerNames: readonly string[]): ObservedResponse {
  const headers = new Map<string, string>();
  for (const name of headerNames) {
    const values = response.headers.getAll(name);
    if (values.length > 0) headers.set(name.toLowerCase(), values.join(', '));
  }
  const hangupCode = hangupCodeOf(response);
  return {
    status: response.statusCode,
    reasonPhrase: response.reasonPhrase,
    ...(hangupCode !== undefined ? { hangupCode } : {}),
    headers,
  };
}
