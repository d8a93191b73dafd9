import { describe, expect, it } from 'vitest';
import { buildLadder } from '../../../src/diagnostics/ladder/index.js';
import {
  answeredFlow,
  cancelledFlow,
  flowInputs,
  offerSdp,
  rejectedFlow,
  transferFlow,
} from '../../support/call-flows.js';

describe('buildLadder from scripted flows', () => {
  it('labels participants from Server/User-Agent and orders arrows with time offsets', () => {
    const ladder = buildLadder(flowInputs(rejectedFlow({ hangupCode: 4190 })));
    expect(ladder.participants.map((p) => `${p.label} ${p.address}:${p.port}`)).toEqual([
      'Asterisk 127.0.0.1:5070',
      'Zentrunk 127.0.0.1:5060',
    ]);
    expect(ladder.arrows.map((a) => [a.offsetMs, a.from, a.to, a.label])).toEqual([
      [0, 0, 1, 'INVITE'],
      [12, 1, 0, '100 Trying'],
      [31, 1, 0, '403 Forbidden'],
      [33, 0, 1, 'ACK'],
    ]);
  });

  it('puts the non-2xx ACK in the INVITE transaction and reads the hangup headers', () => {
    const ladder = buildLadder(flowInputs(rejectedFlow({ hangupCode: 4190 })));
    expect(ladder.transactions).toHaveLength(1);
    expect(ladder.transactions[0]).toMatchObject({
      id: 'T1',
      method: 'INVITE',
      finalStatus: 403,
      arrows: [0, 1, 2, 3],
    });
    expect(ladder.finalResponse).toMatchObject({
      status: 403,
      reasonPhrase: 'Forbidden',
      method: 'INVITE',
      arrow: 2,
    });
    expect(ladder.outcome).toMatchObject({ kind: 'rejected', status: 403, endedBy: 1 });
    expect(ladder.hangup).toEqual({ arrow: 2, code: 4190, reason: 'SIP;cause=403;text="unknown_caller_id"' });
    expect(ladder.invite).toMatchObject({
      from: 'sip:+14155550100@127.0.0.1',
      requestUri: 'sip:+442071234567@127.0.0.1',
      credentials: false,
    });
  });

  it('summarises the SDP offer without its keys', () => {
    const flow = rejectedFlow();
    const withCrypto = [
      { ...flow[0], text: flow[0].text.replace(offerSdp(), offerSdp(40_000, { crypto: true })) },
    ];
    const fixed = withCrypto[0].text.replace(
      /Content-Length: \d+/,
      `Content-Length: ${Buffer.byteLength(offerSdp(40_000, { crypto: true }))}`,
    );
    const ladder = buildLadder(flowInputs([{ ...withCrypto[0], text: fixed }]));
    expect(ladder.arrows[0].sdp).toEqual({
      direction: 'sendrecv',
      codecs: ['PCMU', 'PCMA', 'telephone-event'],
      address: '127.0.0.1',
      port: 40_000,
      rtcpPort: 40_001,
      profile: 'RTP/SAVP',
      crypto: true,
      cryptoSuites: ['AES_CM_128_HMAC_SHA1_80'],
    });
    expect(JSON.stringify(ladder)).not.toContain('WVNfX19zZW1jdGwg');
  });

  it('marks retransmissions (recorder flag and repeated bytes), groups the 2xx ACK and the dialog', () => {
    const ladder = buildLadder(flowInputs(answeredFlow()));
    expect(ladder.arrows.filter((a) => a.retransmission).map((a) => a.label)).toEqual(['200 OK', 'ACK']);
    const byId = new Map(ladder.transactions.map((t) => [t.id, t]));
    expect(ladder.arrows.map((a) => byId.get(a.transactionId!)!.method)).toEqual([
      'INVITE',
      'INVITE',
      'INVITE',
      'INVITE',
      'INVITE',
      'ACK',
      'ACK',
      'BYE',
      'BYE',
    ]);
    expect(ladder.dialogs).toHaveLength(1);
    // Everything but the INVITE and the tag-less 100 Trying carries both tags.
    expect(ladder.arrows.filter((a) => a.dialogId === 'D1')).toHaveLength(7);
    expect(ladder.outcome).toMatchObject({ kind: 'answered', status: 200, endedBy: 1 });
    expect(ladder.finalResponse?.status).toBe(200);
    expect(ladder.lastResponse).toMatchObject({ status: 200, method: 'BYE', arrow: 8 });
    expect(ladder.hangup).toMatchObject({ code: 3000, arrow: 7 });
  });

  it('recognises a cancelled call and the CANCEL transaction', () => {
    const ladder = buildLadder(flowInputs(cancelledFlow()));
    expect(ladder.outcome).toMatchObject({ kind: 'cancelled', status: 487, endedBy: 0 });
    expect(ladder.transactions.map((t) => [t.method, t.finalStatus])).toEqual([
      ['INVITE', 487],
      ['CANCEL', 200],
    ]);
    expect(ladder.arrows.at(-1)!.transactionId).toBe('T1');
  });

  it('follows REFER and NOTIFY as their own transactions in the same dialog', () => {
    const ladder = buildLadder(flowInputs(transferFlow()));
    expect(ladder.transactions.map((t) => `${t.method}:${t.finalStatus ?? '-'}`)).toEqual([
      'INVITE:200',
      'ACK:-',
      'REFER:202',
      'NOTIFY:200',
      'BYE:200',
    ]);
    expect(new Set(ladder.arrows.slice(1).map((a) => a.dialogId))).toEqual(new Set(['D1']));
    expect(ladder.outcome).toMatchObject({ kind: 'answered', endedBy: 0 });
  });

  it('shows an unreadable message as an unparsed arrow instead of failing', () => {
    const ladder = buildLadder(
      flowInputs([...rejectedFlow().slice(0, 1), { atMs: 5, from: 'trunk', text: 'SIP/2.0 banana\r\n\r\n' }]),
    );
    expect(ladder.arrows[1]).toMatchObject({ kind: 'unparsed', from: 1, to: 0 });
    expect(ladder.outcome.kind).toBe('no-final-response');
  });

  it('uses caller-supplied labels over headers, and monotonic times when every input has one', () => {
    const inputs = flowInputs(rejectedFlow()).map((input, i) => ({
      ...input,
      monotonicTimeMs: 1000 + i * 0.5,
      localEnd: 'source' as const,
    }));
    const ladder = buildLadder(inputs, {
      labels: { local: 'PBX' },
      labelsByEndpoint: { '127.0.0.1:5060': 'Trunk' },
    });
    expect(ladder.participants.map((p) => p.label)).toEqual(['PBX', 'Trunk']);
    expect(ladder.arrows.map((a) => a.offsetMs)).toEqual([0, 0.5, 1, 1.5]);
  });
});
