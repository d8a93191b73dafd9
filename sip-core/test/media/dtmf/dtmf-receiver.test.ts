import { describe, expect, it } from 'vitest';
import { DtmfReceiver, type DtmfReceiverEvent } from '../../../src/media/dtmf/dtmf-receiver.js';
import { DtmfSender, type TelephoneEventPacket } from '../../../src/media/dtmf/dtmf-sender.js';
import { serializeTelephoneEvent } from '../../../src/media/dtmf/telephone-event.js';
import { seededRandom } from '../../support/seeded-random.js';

function packet(
  timestamp: number,
  event: number,
  duration: number,
  options: { end?: boolean; marker?: boolean } = {},
) {
  return {
    timestamp,
    marker: options.marker ?? false,
    payload: serializeTelephoneEvent({ event, end: options.end ?? false, volume: 10, duration }),
  };
}

function brief(reports: DtmfReceiverEvent[]): string[] {
  return reports.map((r) =>
    r.type === 'digit-start'
      ? `start ${r.symbol}${r.markerSeen ? '' : ' (no marker)'}`
      : `end ${r.symbol} ${r.durationMs}ms ${r.reason}`,
  );
}

describe('DtmfReceiver', () => {
  it('reports start on the first packet and end once, ignoring the repeated end packets', () => {
    const receiver = new DtmfReceiver();
    const reports = [
      ...receiver.receive(packet(1000, 5, 400, { marker: true }), 50),
      ...receiver.receive(packet(1000, 5, 800, { end: true }), 100),
      ...receiver.receive(packet(1000, 5, 800, { end: true }), 120),
      ...receiver.receive(packet(1000, 5, 800, { end: true }), 140),
    ];
    expect(brief(reports)).toEqual(['start 5', 'end 5 100ms end-bit']);
    expect(reports[1]).toMatchObject({ durationSamples: 800, timestamp: 1000, volume: 10 });
    expect(receiver.stats).toMatchObject({ packets: 4, duplicates: 2 });
  });

  it.each([
    {
      name: 'a lost start packet: starts from an update without marker',
      packets: [packet(0, 7, 800), packet(0, 7, 1200, { end: true })],
      expected: ['start 7 (no marker)', 'end 7 150ms end-bit'],
    },
    {
      name: 'only an end packet survived: start and end together',
      packets: [packet(0, 3, 800, { end: true })],
      expected: ['start 3 (no marker)', 'end 3 100ms end-bit'],
    },
    {
      name: 'all end packets lost: a new timestamp ends the old event and starts the next',
      packets: [packet(0, 1, 400, { marker: true }), packet(1600, 2, 400, { marker: true })],
      expected: ['start 1', 'end 1 50ms superseded', 'start 2'],
    },
    {
      name: 'the same digit twice: a new timestamp is a new event',
      packets: [packet(0, 4, 800, { end: true, marker: true }), packet(1600, 4, 800, { end: true })],
      expected: ['start 4', 'end 4 100ms end-bit', 'start 4 (no marker)', 'end 4 100ms end-bit'],
    },
    {
      name: 'reordered updates: the largest duration wins',
      packets: [
        packet(0, 9, 400, { marker: true }),
        packet(0, 9, 1200),
        packet(0, 9, 800),
        packet(0, 9, 1200, { end: true }),
      ],
      expected: ['start 9', 'end 9 150ms end-bit'],
    },
    {
      name: 'a stale packet of an older event is ignored',
      packets: [packet(8000, 1, 800, { end: true, marker: true }), packet(7000, 0, 400)],
      expected: ['start 1', 'end 1 100ms end-bit'],
    },
    {
      name: 'timestamps across the 32-bit wrap',
      packets: [
        packet(0xffffff00, 1, 800, { end: true, marker: true }),
        packet(0x100, 2, 800, { end: true, marker: true }),
      ],
      expected: ['start 1', 'end 1 100ms end-bit', 'start 2', 'end 2 100ms end-bit'],
    },
    {
      name: 'a long event in two segments is one digit',
      packets: [
        packet(500, 0, 65000, { marker: true }),
        packet(500, 0, 65535),
        packet(500 + 65535, 0, 400),
        packet(500 + 65535, 0, 6465, { end: true }),
      ],
      expected: ['start 0', 'end 0 9000ms end-bit'],
    },
    {
      name: 'hook flash (event 16)',
      packets: [packet(0, 16, 4000, { end: true, marker: true })],
      expected: ['start !', 'end ! 500ms end-bit'],
    },
  ])('handles $name', ({ packets, expected }) => {
    const receiver = new DtmfReceiver();
    const reports = packets.flatMap((p, i) => receiver.receive(p, i * 20));
    expect(brief(reports)).toEqual(expected);
  });

  it('ends an event whose end packets were all lost after the timeout, once', () => {
    const receiver = new DtmfReceiver({ endTimeoutMs: 300 });
    receiver.receive(packet(0, 6, 400, { marker: true }), 1000);
    receiver.receive(packet(0, 6, 800), 1050);
    expect(receiver.poll(1349)).toEqual([]);
    expect(brief(receiver.poll(1350))).toEqual(['end 6 100ms timeout']);
    expect(receiver.poll(5000)).toEqual([]);
    expect(receiver.stats.timeouts).toBe(1);
  });

  it('counts and drops malformed payloads and non-DTMF events without throwing', () => {
    const receiver = new DtmfReceiver();
    expect(receiver.receive({ timestamp: 0, marker: true, payload: new Uint8Array(2) }, 0)).toEqual([]);
    expect(receiver.receive(packet(0, 32, 800), 0)).toEqual([]);
    expect(receiver.stats).toMatchObject({ packets: 2, malformed: 1, ignoredEvents: 1 });
    expect(receiver.inProgress).toBe(false);
  });
});

describe('DTMF sender → lossy network → receiver', () => {
  const DIGITS = '0123456789*#ABCD!';

  /** Runs the sender with a 20 ms media tick and returns every packet with its send time. */
  function sendAll(sender: DtmfSender): TelephoneEventPacket[] {
    const packets: TelephoneEventPacket[] = [];
    sender.enqueue(DIGITS, 0);
    for (let now = 0; sender.nextDueMs() !== undefined; now += 20) packets.push(...sender.poll(now, now * 8));
    return packets;
  }

  it('delivers all 16 digits and flash, in order and with their durations, without loss', () => {
    const receiver = new DtmfReceiver();
    const reports = sendAll(new DtmfSender()).flatMap((p) => receiver.receive(p, p.sendAtMs + 30));
    const ends = reports.filter((r) => r.type === 'digit-end');
    expect(ends.map((r) => r.symbol).join('')).toBe(DIGITS);
    expect(ends.every((r) => r.durationMs === 100 && r.reason === 'end-bit')).toBe(true);
  });

  it.each([1, 2, 3, 4, 5])('survives 25%% loss, 15%% duplication and reordering (seed %i)', (seed) => {
    const random = seededRandom(seed);
    const sender = new DtmfSender({ packetIntervalMs: 20, durationMs: 120 });
    const sent = sendAll(sender);
    // Each packet is lost with p = 0.25, else delivered once or twice with up to 30 ms of jitter.
    const delivered: Array<{ packet: TelephoneEventPacket; atMs: number }> = [];
    for (const p of sent) {
      if (random() < 0.25) continue;
      const copies = random() < 0.15 ? 2 : 1;
      for (let c = 0; c < copies; c++) delivered.push({ packet: p, atMs: p.sendAtMs + 10 + random() * 30 });
    }
    delivered.sort((a, b) => a.atMs - b.atMs);
    // The assertion below is only fair if every digit kept at least one packet.
    const survivors = new Set(delivered.map((d) => d.packet.timestamp));
    expect(survivors.size).toBe(DIGITS.length);

    const receiver = new DtmfReceiver();
    const reports: DtmfReceiverEvent[] = [];
    let lastMs = 0;
    for (const { packet: p, atMs } of delivered) {
      reports.push(...receiver.poll(atMs), ...receiver.receive(p, atMs));
      lastMs = atMs;
    }
    reports.push(...receiver.poll(lastMs + 1000));

    const starts = reports.filter((r) => r.type === 'digit-start');
    const ends = reports.filter((r) => r.type === 'digit-end');
    expect(starts.map((r) => r.symbol).join('')).toBe(DIGITS);
    expect(ends.map((r) => r.symbol).join('')).toBe(DIGITS);
    for (const end of ends) {
      if (end.reason === 'end-bit') expect(end.durationMs).toBe(120);
      else expect(end.durationMs).toBeLessThan(120);
    }
    const stats = receiver.stats;
    expect(stats.packets).toBe(delivered.length);
    // Every seed loses some first packets (starts without marker) and delivers some duplicates.
    expect(stats.duplicates).toBeGreaterThan(0);
    expect(stats.startsWithoutMarker).toBeGreaterThan(0);
  });
});
