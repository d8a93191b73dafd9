import { afterEach, describe, expect, it } from 'vitest';
import { ManualClock } from '../../../src/common/manual-clock.js';
import { setListenerErrorHandler } from '../../../src/common/typed-emitter.js';
import { SipTrace } from '../../../src/sip/trace/sip-trace.js';
import type { SipTraceRecord } from '../../../src/sip/trace/trace-records.js';
import { sipRequest } from '../../support/sip-bytes.js';
import { nextMessage, TransportHarness, waitFor } from '../../support/transport-harness.js';

const harness = new TransportHarness();
afterEach(() => harness.dispose());

const ADDRESS = { address: '127.0.0.1', port: 5060 };

describe('SipTrace', () => {
  it('stamps records with a sequence number and both clocks, in publication order', () => {
    const clock = new ManualClock({ startMs: 1000, epochMs: Date.UTC(2026, 0, 1) });
    const trace = new SipTrace({ clock });
    const seen: SipTraceRecord[] = [];
    trace.subscribe((record) => seen.push(record));
    const bytes = Buffer.from('OPTIONS sip:a SIP/2.0\r\n\r\n');
    trace.publish({
      kind: 'message',
      direction: 'sent',
      transport: 'udp',
      local: ADDRESS,
      remote: ADDRESS,
      bytes,
    });
    clock.advance(250);
    trace.publish({
      kind: 'message',
      direction: 'received',
      transport: 'udp',
      local: ADDRESS,
      remote: ADDRESS,
      bytes,
    });
    expect(seen).toEqual([
      expect.objectContaining({
        sequence: 1,
        monotonicTimeMs: 1000,
        wallTimeMs: Date.UTC(2026, 0, 1) + 1000,
        direction: 'sent',
      }),
      expect.objectContaining({
        sequence: 2,
        monotonicTimeMs: 1250,
        wallTimeMs: Date.UTC(2026, 0, 1) + 1250,
        direction: 'received',
      }),
    ]);
  });

  it('is inactive without subscribers, and a throwing subscriber does not stop the others', () => {
    const trace = new SipTrace();
    expect(trace.active).toBe(false);
    const subscription = trace.subscribe(() => {
      throw new Error('observer bug');
    });
    const seen: number[] = [];
    trace.subscribe((record) => seen.push(record.sequence));
    expect(trace.active).toBe(true);
    const errors: unknown[] = [];
    const previous = setListenerErrorHandler((error) => errors.push(error));
    try {
      trace.publish({
        kind: 'keep-alive',
        event: 'ping-sent',
        transport: 'tcp',
        local: ADDRESS,
        remote: ADDRESS,
        connectionId: 'tcp-1',
      });
    } finally {
      setListenerErrorHandler(previous);
    }
    expect(seen).toEqual([1]);
    expect(errors).toEqual([new Error('observer bug')]);
    subscription.dispose();
  });

  it('costs the transport nothing when nobody listens: no record is built', async () => {
    const trace = new SipTrace();
    let published = 0;
    const publish = trace.publish.bind(trace);
    trace.publish = (input) => {
      published++;
      publish(input);
    };
    const a = harness.layer({ trace });
    const b = harness.layer();
    await a.listen({ transport: 'udp' });
    const { local } = await b.listen({ transport: 'tcp' });
    const arriving = nextMessage(b);
    await a.send(sipRequest(), { transport: 'tcp', host: '127.0.0.1', port: local.port });
    await arriving;
    expect(published).toBe(0);
  });

  it('records a TCP exchange completely: connection events, both messages with exact bytes, and the close', async () => {
    const clientRecords: SipTraceRecord[] = [];
    const client = harness.layer();
    const server = harness.layer();
    client.trace.subscribe((record) => clientRecords.push(record));
    const { local } = await server.listen({ transport: 'tcp' });
    const request = sipRequest({ method: 'INVITE', body: 'v=0\r\n' });
    const response = Buffer.from('SIP/2.0 486 Busy Here\r\nContent-Length: 0\r\n\r\n');
    server.on('message', (_bytes, context) => void server.send(response, context.connectionId ?? ''));
    const answered = nextMessage(client);
    const sent = await client.send(request, { transport: 'tcp', host: '127.0.0.1', port: local.port });
    await answered;
    client.closeConnection(sent.connectionId ?? '');
    await waitFor(
      () => clientRecords.some((r) => r.kind === 'connection' && r.event === 'closed'),
      'the close record',
    );

    const connectionId = sent.connectionId;
    const common = { transport: 'tcp', local: sent.local, remote: sent.remote, connectionId };
    expect(clientRecords.map((r) => r.sequence)).toEqual([1, 2, 3, 4]);
    expect(clientRecords).toEqual([
      expect.objectContaining({ kind: 'connection', event: 'opened', direction: 'outbound', ...common }),
      expect.objectContaining({ kind: 'message', direction: 'sent', bytes: request, ...common }),
      expect.objectContaining({ kind: 'message', direction: 'received', bytes: response, ...common }),
      expect.objectContaining({
        kind: 'connection',
        event: 'closed',
        reason: { code: 'local-close', detail: 'closed by the application' },
        ...common,
      }),
    ]);
    for (const record of clientRecords) {
      expect(record.wallTimeMs).toBeGreaterThan(Date.UTC(2020, 0, 1));
      expect(typeof record.monotonicTimeMs).toBe('number');
    }
  });

  it('records framing errors as drops with a sample of the offending bytes', async () => {
    const server = harness.layer();
    const records: SipTraceRecord[] = [];
    server.trace.subscribe((record) => records.push(record));
    const { local } = await server.listen({ transport: 'tcp' });
    const raw = await harness.rawClient(local.port);
    const bad = Buffer.from(`OPTIONS sip:a SIP/2.0\r\nVia: x\r\n\r\n${'q'.repeat(400)}`);
    raw.write(bad);
    await waitFor(() => records.some((r) => r.kind === 'drop'), 'the drop record');
    const drop = records.find((r) => r.kind === 'drop');
    expect(drop).toMatchObject({
      kind: 'drop',
      reason: 'framing-error',
      direction: 'received',
      transport: 'tcp',
    });
    expect(drop?.kind === 'drop' && Buffer.from(drop.sample ?? []).equals(bad.subarray(0, 256))).toBe(true);
  });
});
