// Builds the ladder model from messages in the order they crossed the wire. Pure: no clock, no I/O; a message that
// does not parse becomes an `unparsed` arrow instead of an error, because a ladder of a broken call is exactly
// what a user needs to see.

import { describeError } from '../../common/errors.js';
import { parseSipMessage, type SipRequest, type SipResponse } from '../../sip/message/index.js';
import type { SocketAddress } from '../../sip/transport/index.js';
import type { LadderMessageInput } from './ladder-input.js';
import { summarizeSdp } from './sdp-summary.js';
import {
  formatEndpoint,
  type LadderArrow,
  type LadderDialog,
  type LadderHangup,
  type LadderInviteSummary,
  type LadderOutcome,
  type LadderParticipant,
  type LadderResponseRef,
  type LadderTransaction,
  type SipLadder,
} from './sip-ladder.js';

export interface BuildLadderOptions {
  /** Labels by end: `local` for the recording process, `remote` for the others (trace inputs only). */
  readonly labels?: { readonly local?: string; readonly remote?: string };
  /** Labels by `address:port` (as `formatEndpoint` writes it); they win over everything else. */
  readonly labelsByEndpoint?: Readonly<Record<string, string>>;
}

interface ParsedInput {
  readonly input: LadderMessageInput;
  readonly message: SipRequest | SipResponse | undefined;
  readonly problem: string | undefined;
}

const HANGUP_CODE_HEADER = 'X-ZT-Hangup-Code';

/** The ladder of one call (or any set of messages: the model does not require a single Call-ID). */
export function buildLadder(
  inputs: readonly LadderMessageInput[],
  options: BuildLadderOptions = {},
): SipLadder {
  const parsed = inputs.map(parseInput);
  const participants = collectParticipants(parsed, options);
  const participantIndex = new Map(participants.map((p) => [formatEndpoint(p), p.id]));
  const useMonotonic = inputs.length > 0 && inputs.every((i) => i.monotonicTimeMs !== undefined);
  const first = inputs[0];
  const transactions = new Map<
    string,
    { id: string; method: string; branch?: string; arrows: number[]; final?: number }
  >();
  const dialogs = new Map<string, { id: string; callId: string; tags: [string, string]; arrows: number[] }>();
  const seenBytes = new Map<string, number>();
  const arrows: LadderArrow[] = [];

  parsed.forEach(({ input, message, problem }, index) => {
    const from = participantIndex.get(formatEndpoint(input.source))!;
    const to = participantIndex.get(formatEndpoint(input.destination))!;
    const offsetMs =
      first === undefined
        ? 0
        : useMonotonic
          ? input.monotonicTimeMs! - first.monotonicTimeMs!
          : input.timestampMs - first.timestampMs;
    // A datagram seen before between the same ends is a retransmission (Timer A/E/G, or a re-sent 2xx/ACK).
    const fingerprint = `${from}>${to}>${Buffer.from(input.bytes).toString('latin1')}`;
    const retransmission = input.retransmission === true || seenBytes.has(fingerprint);
    seenBytes.set(fingerprint, index);
    const base = {
      index,
      offsetMs,
      timestampMs: input.timestampMs,
      from,
      to,
      transport: input.transport,
      retransmission,
    };
    if (message === undefined) {
      arrows.push({
        ...base,
        kind: 'unparsed',
        method: '?',
        label: `unreadable SIP (${problem ?? 'parse error'})`,
      });
      return;
    }
    const cseq = safe(() => message.cseq);
    const method = message.isRequest() ? message.method : (cseq?.method ?? '?');
    const branch = safe(() => message.topVia?.branch) ?? undefined;
    // RFC 3261 §17.1.1.3: the ACK for a non-2xx response shares the INVITE's branch and transaction.
    const transactionMethod = method === 'ACK' ? 'INVITE' : method;
    const transactionKey =
      branch !== undefined
        ? `${branch}|${transactionMethod}`
        : `${safe(() => message.callId) ?? ''}|${cseq?.seq ?? ''}|${transactionMethod}`;
    let transaction = transactions.get(transactionKey);
    if (method === 'ACK' && transaction !== undefined && (transaction.final ?? 0) < 300) {
      // An ACK for a 2xx is its own transaction (§13.2.2.4), even if a UA reuses the branch.
      transaction = undefined;
    }
    if (transaction === undefined) {
      const key = method === 'ACK' ? `${transactionKey}|ack` : transactionKey;
      transaction = transactions.get(key) ?? {
        id: `T${transactions.size + 1}`,
        method,
        ...(branch !== undefined ? { branch } : {}),
        arrows: [],
      };
      transactions.set(key, transaction);
    }
    transaction.arrows.push(index);
    if (message.isResponse() && message.statusCode >= 200 && transaction.final === undefined) {
      transaction.final = message.statusCode;
    }
    const callId = safe(() => message.callId);
    const fromTag = safe(() => message.from?.tag) ?? undefined;
    const toTag = safe(() => message.to?.tag) ?? undefined;
    let dialogId: string | undefined;
    if (callId !== undefined && fromTag !== undefined && toTag !== undefined) {
      const tags = [fromTag, toTag].sort() as [string, string];
      const key = `${callId}|${tags[0]}|${tags[1]}`;
      let dialog = dialogs.get(key);
      if (dialog === undefined) {
        dialog = { id: `D${dialogs.size + 1}`, callId, tags, arrows: [] };
        dialogs.set(key, dialog);
      }
      dialog.arrows.push(index);
      dialogId = dialog.id;
    }
    const contentType = safe(() => message.contentType?.essence);
    const sdp =
      contentType === 'application/sdp' && message.body.length > 0
        ? summarizeSdp(message.body.toString('utf8'))
        : undefined;
    const hangupText = message.headers.get(HANGUP_CODE_HEADER);
    const hangupCode =
      hangupText !== undefined && /^\s*\d{1,6}\s*$/.test(hangupText) ? Number(hangupText) : undefined;
    const reasonHeader = message.headers.get('Reason');
    arrows.push({
      ...base,
      kind: message.isRequest() ? 'request' : 'response',
      method,
      ...(message.isResponse() ? { status: message.statusCode, reasonPhrase: message.reasonPhrase } : {}),
      label: message.isRequest() ? message.method : `${message.statusCode} ${message.reasonPhrase}`.trim(),
      ...(cseq !== undefined ? { cseq: cseq.seq } : {}),
      transactionId: transaction.id,
      ...(dialogId !== undefined ? { dialogId } : {}),
      ...(sdp !== undefined ? { sdp } : {}),
      ...(hangupCode !== undefined ? { hangupCode } : {}),
      ...(reasonHeader !== undefined ? { reasonHeader } : {}),
      ...(message.isRequest() ? { requestUri: String(message.requestUri) } : {}),
    });
  });

  const transactionList: LadderTransaction[] = [...new Set(transactions.values())].map((t) => ({
    id: t.id,
    method: t.method,
    branch: t.branch,
    arrows: t.arrows,
    ...(t.final !== undefined ? { finalStatus: t.final } : {}),
  }));
  const dialogList: LadderDialog[] = [...dialogs.values()];
  const callId = parsed.map((p) => (p.message ? safe(() => p.message!.callId) : undefined)).find((id) => id);
  const finalResponse = findFinalResponse(arrows);
  const lastResponse = [...arrows].reverse().find((a) => a.kind === 'response' && !a.retransmission);
  const hangupArrow =
    [...arrows].reverse().find((a) => a.hangupCode !== undefined) ??
    (finalResponse
      ? arrows.find((a) => a.index === finalResponse.arrow && a.reasonHeader !== undefined)
      : undefined) ??
    [...arrows]
      .reverse()
      .find((a) => a.reasonHeader !== undefined && (a.method === 'BYE' || (a.status ?? 0) >= 300));
  const hangup: LadderHangup | undefined = hangupArrow
    ? {
        arrow: hangupArrow.index,
        ...(hangupArrow.hangupCode !== undefined ? { code: hangupArrow.hangupCode } : {}),
        ...(hangupArrow.reasonHeader !== undefined ? { reason: hangupArrow.reasonHeader } : {}),
      }
    : undefined;
  const invite = summarizeInvite(parsed, arrows);
  const lastDirection = [...arrows].reverse().find((a) => a.sdp !== undefined)?.sdp?.direction;
  return {
    callId,
    startedAtMs: first?.timestampMs ?? 0,
    participants,
    arrows,
    transactions: transactionList,
    dialogs: dialogList,
    ...(invite ? { invite } : {}),
    ...(finalResponse ? { finalResponse } : {}),
    ...(lastResponse ? { lastResponse: responseRef(lastResponse) } : {}),
    outcome: outcomeOf(arrows, finalResponse, participants),
    ...(hangup ? { hangup } : {}),
    ...(lastDirection ? { lastDirection } : {}),
  };
}

function summarizeInvite(
  parsed: readonly ParsedInput[],
  arrows: readonly LadderArrow[],
): LadderInviteSummary | undefined {
  const arrow = arrows.find((a) => a.kind === 'request' && a.method === 'INVITE' && a.dialogId === undefined);
  const message = arrow ? parsed[arrow.index].message : undefined;
  if (arrow === undefined || message === undefined || !message.isRequest()) return undefined;
  // A challenged INVITE is re-sent with credentials in a new transaction: any initial INVITE of the call counts.
  const credentials = parsed.some(
    ({ message: m }) =>
      m?.isRequest() === true &&
      m.method === 'INVITE' &&
      (m.headers.has('Authorization') || m.headers.has('Proxy-Authorization')),
  );
  return {
    arrow: arrow.index,
    requestUri: String(message.requestUri),
    from: safe(() => message.from?.uri.toString()),
    to: safe(() => message.to?.uri.toString()),
    pAssertedIdentity: message.headers.get('P-Asserted-Identity'),
    credentials,
    ...(arrow.sdp ? { sdp: arrow.sdp } : {}),
  };
}

function parseInput(input: LadderMessageInput): ParsedInput {
  try {
    const message = parseSipMessage(input.bytes, {
      framing: input.transport === 'udp' ? 'datagram' : 'stream',
    });
    return { input, message, problem: undefined };
  } catch (error) {
    return { input, message: undefined, problem: describeError(error) };
  }
}

/** A view that may throw on a malformed header: the ladder shows what it can. */
function safe<T>(read: () => T): T | undefined {
  try {
    return read();
  } catch {
    return undefined;
  }
}

function responseRef(arrow: LadderArrow): LadderResponseRef {
  return {
    arrow: arrow.index,
    status: arrow.status!,
    reasonPhrase: arrow.reasonPhrase ?? '',
    method: arrow.method,
  };
}

/** The initial INVITE is the first INVITE without a To tag; its first final response decides the call. */
function findFinalResponse(arrows: readonly LadderArrow[]): LadderResponseRef | undefined {
  const invite = arrows.find(
    (a) => a.kind === 'request' && a.method === 'INVITE' && a.dialogId === undefined,
  );
  if (invite === undefined) return undefined;
  const final = arrows.find(
    (a) =>
      a.kind === 'response' &&
      a.transactionId === invite.transactionId &&
      a.method === 'INVITE' &&
      (a.status ?? 0) >= 200,
  );
  return final ? responseRef(final) : undefined;
}

function outcomeOf(
  arrows: readonly LadderArrow[],
  final: LadderResponseRef | undefined,
  participants: readonly LadderParticipant[],
): LadderOutcome {
  const name = (id: number | undefined): string => (id === undefined ? 'someone' : participants[id].label);
  const invite = arrows.find((a) => a.kind === 'request' && a.method === 'INVITE');
  if (invite === undefined) {
    const request = arrows.find((a) => a.kind === 'request');
    return {
      kind: 'no-invite',
      summary: request
        ? `No call: the messages are ${request.method} and its responses.`
        : 'No SIP request was found.',
    };
  }
  if (final === undefined) {
    return { kind: 'no-final-response', summary: 'The INVITE never got a final response (timeout or lost).' };
  }
  const finalArrow = arrows[final.arrow];
  if (final.status < 300) {
    const bye = arrows.find((a) => a.kind === 'request' && a.method === 'BYE' && !a.retransmission);
    return {
      kind: 'answered',
      status: final.status,
      ...(bye ? { endedBy: bye.from } : {}),
      summary: bye
        ? `Answered (${final.status}); ${name(bye.from)} hung up with BYE.`
        : `Answered (${final.status}); no BYE was seen.`,
    };
  }
  const cancel = arrows.find((a) => a.kind === 'request' && a.method === 'CANCEL');
  if (final.status === 487 && cancel !== undefined) {
    return {
      kind: 'cancelled',
      status: final.status,
      endedBy: cancel.from,
      summary: `Cancelled by ${name(cancel.from)} before it was answered (487).`,
    };
  }
  return {
    kind: 'rejected',
    status: final.status,
    endedBy: finalArrow.from,
    summary: `Rejected by ${name(finalArrow.from)} with ${final.status} ${final.reasonPhrase}.`.replace(
      / \.$/,
      '.',
    ),
  };
}

function collectParticipants(
  parsed: readonly ParsedInput[],
  options: BuildLadderOptions,
): LadderParticipant[] {
  const ends: Array<{ endpoint: SocketAddress; local: boolean; agent?: string }> = [];
  const byKey = new Map<string, (typeof ends)[number]>();
  const note = (endpoint: SocketAddress, local: boolean): (typeof ends)[number] => {
    const key = formatEndpoint(endpoint);
    let end = byKey.get(key);
    if (end === undefined) {
      end = { endpoint, local };
      byKey.set(key, end);
      ends.push(end);
    }
    return end;
  };
  let caller: string | undefined;
  let callee: string | undefined;
  for (const { input, message } of parsed) {
    const source = note(input.source, input.localEnd === 'source');
    note(input.destination, input.localEnd === 'destination');
    const agent =
      message?.headers.get(message.isRequest() ? 'User-Agent' : 'Server') ??
      message?.headers.get('User-Agent');
    if (agent !== undefined && source.agent === undefined) source.agent = agent;
    if (message?.isRequest() && message.method === 'INVITE' && caller === undefined) {
      caller = formatEndpoint(input.source);
      callee = formatEndpoint(input.destination);
    }
  }
  return ends.map((end, id) => {
    const key = formatEndpoint(end.endpoint);
    const label =
      options.labelsByEndpoint?.[key] ??
      (end.local ? options.labels?.local : options.labels?.remote) ??
      agentLabel(end.agent) ??
      (key === caller ? 'Caller' : key === callee ? 'Callee' : 'Host');
    return { id, address: end.endpoint.address, port: end.endpoint.port, label, local: end.local };
  });
}

/** `Zentrunk` from a Server header naming it, else the product token of User-Agent/Server (`sipp`, `Asterisk`). */
function agentLabel(agent: string | undefined): string | undefined {
  if (agent === undefined) return undefined;
  if (/zentrunk/i.test(agent)) return 'Zentrunk';
  const token = /^[\w.-]+/.exec(agent.trim())?.[0];
  return token ? token.slice(0, 16) : undefined;
}
