import { randomBytes } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { ManualClock } from '../../src/common/manual-clock.js';
import { SipTrace } from '../../src/sip/trace/sip-trace.js';
import type { TraceMessageRecord } from '../../src/sip/trace/trace-records.js';
import { packSipTrace, unpackSipTrace, type StoredSipMessage } from '../../src/store/sip-trace-codec.js';
import { StoreError } from '../../src/store/store-error.js';
import { makeCdr, makeTrace } from '../support/cdr-factory.js';
import { useStores } from '../support/store-fixtures.js';
import { expectErrorCode } from '../support/expect-error-code.js';

const ONE: StoredSipMessage = {
  wallTimeMs: 1,
  monotonicTimeMs: 0.5,
  direction: 'received',
  transport: 'tls',
  local: { address: '::1', port: 5061 },
  remote: { address: '10.0.0.1', port: 65535 },
  connectionId: 'c1',
  bytes: Buffer.from('OPTIONS', 'latin1'),
};

function expectCorrupt(blob: Uint8Array): void {
  expect(expectErrorCode(() => unpackSipTrace(blob), 'STORE_CORRUPT')).toBeInstanceOf(StoreError);
}

describe('packed SIP traces', () => {
  const openStore = useStores();

  it('packs one message to the documented layout (known answer)', () => {
    const packed = packSipTrace([ONE]);
    expect(packed.toString('hex')).toBe(
      [
        '544c5452', // "TLTR"
        '01', // format version
        '00', // encoding: raw
        '00000001', // message count
        '3ff0000000000000', // wall time 1.0
        '3fe0000000000000', // monotonic time 0.5
        '05', // flags: received (bit 0) | tls (2 << 1)
        '03', // local address length
        '13c5', // local port 5061
        '08', // remote address length
        '02', // connection id length
        'ffff', // remote port 65535
        '00000007', // payload length
        Buffer.from('::1').toString('hex'),
        Buffer.from('10.0.0.1').toString('hex'),
        Buffer.from('c1').toString('hex'),
        Buffer.from('OPTIONS').toString('hex'),
      ].join(''),
    );
    expect(unpackSipTrace(packed)).toEqual([ONE]);
  });

  it.each(['raw', 'deflate'] as const)('round-trips a call byte-exact with %s encoding', (encoding) => {
    const trace = makeTrace(42);
    const back = unpackSipTrace(packSipTrace(trace, encoding));
    expect(back).toHaveLength(trace.length);
    back.forEach((message, i) => {
      const { bytes, ...rest } = trace[i];
      expect(message).toEqual({ ...rest, bytes: message.bytes });
      expect(Buffer.compare(message.bytes, bytes)).toBe(0);
    });
  });

  it('keeps binary bodies, empty messages, non-ASCII text and a subarray view byte-exact', () => {
    const pool = randomBytes(5000);
    const messages: StoredSipMessage[] = [
      { ...ONE, bytes: pool.subarray(100, 4100) },
      { ...ONE, direction: 'sent', transport: 'udp', connectionId: undefined, bytes: new Uint8Array(0) },
      { ...ONE, bytes: Buffer.from('INVITE sip:Zoë@例え.jp SIP/2.0\r\n\r\n\u0000\u00ff', 'utf8') },
    ];
    for (const encoding of ['raw', 'deflate'] as const) {
      const back = unpackSipTrace(packSipTrace(messages, encoding));
      expect(back.map((m) => Buffer.from(m.bytes).toString('hex'))).toEqual(
        messages.map((m) => Buffer.from(m.bytes).toString('hex')),
      );
      expect(back[1]).not.toHaveProperty('connectionId');
    }
  });

  it('stores a call’s trace with its CDR and reads it back in order, byte-exact', () => {
    const store = openStore();
    const trace = makeTrace(3);
    trace.push({ ...ONE, bytes: randomBytes(1500) });
    store.recordCallEnd(makeCdr(3), trace);
    store.recordCallEnd(makeCdr(4));
    const back = store.getSipTrace('call-00000003');
    expect(back.map((m) => Buffer.from(m.bytes).toString('base64'))).toEqual(
      trace.map((m) => Buffer.from(m.bytes).toString('base64')),
    );
    expect(back.map((m) => m.monotonicTimeMs)).toEqual(trace.map((m) => m.monotonicTimeMs));
    expect(store.getSipTrace('call-00000004')).toEqual([]);
    expect(store.getSipTrace('unknown')).toEqual([]);
  });

  it("stores sip/trace's message records as they are published", () => {
    const store = openStore();
    const clock = new ManualClock({ epochMs: Date.UTC(2026, 0, 1) });
    const trace = new SipTrace({ clock });
    const messages: TraceMessageRecord[] = [];
    trace.subscribe((record) => {
      if (record.kind === 'message') messages.push(record);
    });
    const invite = Buffer.from('INVITE sip:+14155550111@127.0.0.1 SIP/2.0\r\n\r\n');
    const local = { address: '127.0.0.1', port: 5060 };
    const remote = { address: '127.0.0.1', port: 40_000 };
    trace.publish({ kind: 'message', direction: 'received', transport: 'udp', local, remote, bytes: invite });
    clock.advance(12.5);
    trace.publish({
      kind: 'keep-alive',
      event: 'ping-received',
      transport: 'tcp',
      local,
      remote,
      connectionId: 'c',
    });
    trace.publish({
      kind: 'message',
      direction: 'sent',
      transport: 'tcp',
      local,
      remote,
      connectionId: 'c',
      bytes: invite,
    });
    // A TraceMessageRecord is a StoredSipMessage: no mapping between the layers.
    store.recordCallEnd(makeCdr(1), messages);
    const back = store.getSipTrace('call-00000001');
    expect(back).toEqual(
      messages.map(({ kind: _kind, sequence: _sequence, ...rest }) => ({ ...rest, bytes: back[0].bytes })),
    );
    expect(back[1]).toMatchObject({ monotonicTimeMs: 12.5, connectionId: 'c', direction: 'sent' });
  });

  it('stores traces compressed when configured, and reads both kinds', () => {
    const store = openStore({ traceEncoding: 'deflate' });
    store.recordCallEnd(makeCdr(1), makeTrace(1));
    expect(store.getSipTrace('call-00000001').map((m) => Buffer.from(m.bytes).toString())).toEqual(
      makeTrace(1).map((m) => Buffer.from(m.bytes).toString()),
    );
  });

  const refused: [string, Partial<StoredSipMessage>][] = [
    ['an address above 255 bytes', { local: { address: 'x'.repeat(256), port: 1 } }],
    ['a port above 65535', { remote: { address: '::1', port: 65_536 } }],
    ['a fractional port', { local: { address: '::1', port: 1.5 } }],
    ['a NaN time', { wallTimeMs: Number.NaN }],
    ['an unknown transport', { transport: 'sctp' as 'udp' }],
    ['an unknown direction', { direction: 'both' as 'sent' }],
    ['bytes as a string', { bytes: 'INVITE' as unknown as Uint8Array }],
  ];

  it.each(refused)('refuses %s with STORE_INVALID_RECORD and writes nothing', (_, patch) => {
    const store = openStore();
    const error = expectErrorCode(
      () => store.recordCallEnd(makeCdr(1), [ONE, { ...ONE, ...patch }]),
      'STORE_INVALID_RECORD',
    );
    expect(error.message).toContain('message 1');
    expect(store.getCdr('call-00000001')).toBeUndefined();
  });

  it('detects every truncation of a packed trace', () => {
    const packed = packSipTrace(makeTrace(1, 3, 50));
    for (let length = 0; length < packed.length; length += 1) {
      expectCorrupt(packed.subarray(0, length));
    }
  });

  const damaged: [string, (b: Buffer) => void][] = [
    ['another magic', (b) => b.write('XXXX', 0, 'latin1')],
    ['an unknown version', (b) => (b[4] = 9)],
    ['an unknown encoding', (b) => (b[5] = 7)],
    ['unknown flags', (b) => (b[10 + 16] = 0xf0)],
    ['transport 3', (b) => (b[10 + 16] = 0b110)],
    ['a payload length beyond the blob', (b) => b.writeUInt32BE(0xffffffff, 10 + 24)],
  ];

  it.each(damaged)('reports %s as STORE_CORRUPT', (_, damage) => {
    const packed = packSipTrace(makeTrace(1, 2, 40));
    damage(packed);
    expectCorrupt(packed);
  });

  it('reports a compressed body that does not inflate as STORE_CORRUPT', () => {
    const packed = packSipTrace(makeTrace(1), 'deflate');
    packed.fill(0xff, 10, 40);
    expectCorrupt(packed);
  });

  it('survives random damage without anything but STORE_CORRUPT escaping', () => {
    const packed = packSipTrace(makeTrace(9, 4, 120));
    let seed = 12345;
    const next = (): number => (seed = (seed * 1103515245 + 12345) & 0x7fffffff);
    for (let round = 0; round < 2000; round += 1) {
      const copy = Buffer.from(packed);
      for (let k = 0; k < 1 + (round % 4); k += 1) copy[next() % copy.length] = next() & 0xff;
      try {
        unpackSipTrace(copy.subarray(0, next() % (copy.length + 1)));
      } catch (error) {
        expect((error as StoreError).code).toBe('STORE_CORRUPT');
      }
    }
  });
});
