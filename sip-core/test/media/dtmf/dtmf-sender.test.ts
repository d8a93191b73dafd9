import { describe, expect, it } from 'vitest';
import { DtmfSender, type TelephoneEventPacket } from '../../../src/media/dtmf/dtmf-sender.js';

const RTP_BASE = 0xfffff000; // Close to the 32-bit wrap, so timestamp arithmetic is exercised too.

/** The session's RTP timestamp at `nowMs` (8 kHz). */
function rtpAt(nowMs: number): number {
  return (RTP_BASE + nowMs * 8) >>> 0;
}

/** Polls like a media session with a 10 ms tick and returns every packet with the time it was polled. */
function drive(
  sender: DtmfSender,
  untilMs: number,
  tickMs = 10,
): Array<TelephoneEventPacket & { polledMs: number }> {
  const out: Array<TelephoneEventPacket & { polledMs: number }> = [];
  for (let now = 0; now <= untilMs; now += tickMs) {
    for (const packet of sender.poll(now, rtpAt(now))) out.push({ ...packet, polledMs: now });
  }
  return out;
}

function summary(packets: TelephoneEventPacket[]): string[] {
  return packets.map(
    (p) =>
      `${p.sendAtMs}ms ${p.marker ? 'M' : '-'} ts=${p.timestamp} ev=${p.event.event} ${p.event.end ? 'E' : '-'} ` +
      `vol=${p.event.volume} dur=${p.event.duration}`,
  );
}

describe('DtmfSender', () => {
  it('sends one digit with the defaults: marker first, updates every 50 ms, three identical end packets', () => {
    const sender = new DtmfSender();
    sender.enqueue('5', 0);
    const packets = drive(sender, 400);
    const ts = rtpAt(0);
    expect(summary(packets)).toEqual([
      `50ms M ts=${ts} ev=5 - vol=10 dur=400`,
      `100ms - ts=${ts} ev=5 E vol=10 dur=800`,
      `120ms - ts=${ts} ev=5 E vol=10 dur=800`,
      `140ms - ts=${ts} ev=5 E vol=10 dur=800`,
    ]);
    const ends = packets.filter((p) => p.event.end);
    expect(ends).toHaveLength(3);
    expect(new Set(ends.map((p) => p.timestamp)).size).toBe(1);
    expect(new Set(ends.map((p) => p.event.duration)).size).toBe(1);
    expect(new Set(ends.map((p) => Buffer.from(p.payload).toString('hex')))).toEqual(new Set(['058a0320']));
  });

  it('honours duration, volume, interval and end spacing, and keeps the inter-digit gap', () => {
    const sender = new DtmfSender({ packetIntervalMs: 20, endPacketSpacingMs: 0, interDigitGapMs: 60 });
    sender.enqueue('1#', 0, { durationMs: 60, volume: 7 });
    const packets = drive(sender, 400);
    const first = rtpAt(0);
    const second = rtpAt(120); // 60 ms of tone + 60 ms gap.
    expect(summary(packets)).toEqual([
      `20ms M ts=${first} ev=1 - vol=7 dur=160`,
      `40ms - ts=${first} ev=1 - vol=7 dur=320`,
      `60ms - ts=${first} ev=1 E vol=7 dur=480`,
      `60ms - ts=${first} ev=1 E vol=7 dur=480`,
      `60ms - ts=${first} ev=1 E vol=7 dur=480`,
      `140ms M ts=${second} ev=11 - vol=7 dur=160`,
      `160ms - ts=${second} ev=11 - vol=7 dur=320`,
      `180ms - ts=${second} ev=11 E vol=7 dur=480`,
      `180ms - ts=${second} ev=11 E vol=7 dur=480`,
      `180ms - ts=${second} ev=11 E vol=7 dur=480`,
    ]);
  });

  it('reports isSending from the start of an event to its last end packet, and when it is next due', () => {
    const sender = new DtmfSender();
    expect(sender.nextDueMs()).toBeUndefined();
    sender.enqueue('12', 1000);
    expect(sender.pendingCount).toBe(2);
    expect(sender.nextDueMs()).toBe(1000);
    expect(sender.poll(1000, 0)).toEqual([]);
    expect(sender.isSending).toBe(true);
    expect(sender.nextDueMs()).toBe(1050);
    sender.poll(1140, 1120);
    expect(sender.isSending).toBe(false);
    expect(sender.nextDueMs()).toBe(1200);
  });

  it('sends every packet that fell due when polled late, each with its planned time', () => {
    const sender = new DtmfSender();
    sender.enqueue('9', 0);
    sender.poll(0, 0);
    const packets = sender.poll(500, 4000);
    expect(packets.map((p) => [p.sendAtMs, p.event.end])).toEqual([
      [50, false],
      [100, true],
      [120, true],
      [140, true],
    ]);
    expect(packets.every((p) => p.timestamp === 0)).toBe(true);
  });

  it('splits an event longer than 65535 timestamp units into segments (RFC 4733 §2.5.1.3)', () => {
    const sender = new DtmfSender();
    sender.enqueue('0', 0, { durationMs: 9000 });
    const packets = drive(sender, 9200, 50);
    const ts = rtpAt(0);
    const around = packets.filter((p) => p.sendAtMs >= 8150 && p.sendAtMs <= 8250);
    expect(summary(around)).toEqual([
      `8150ms - ts=${ts} ev=0 - vol=10 dur=65200`,
      `8200ms - ts=${ts} ev=0 - vol=10 dur=65535`,
      `8200ms - ts=${(ts + 65535) >>> 0} ev=0 - vol=10 dur=65`,
      `8250ms - ts=${(ts + 65535) >>> 0} ev=0 - vol=10 dur=465`,
    ]);
    const ends = packets.filter((p) => p.event.end);
    expect(ends.map((p) => [p.timestamp, p.event.duration])).toEqual(
      Array.from({ length: 3 }, () => [(ts + 65535) >>> 0, 72000 - 65535]),
    );
    expect(packets.filter((p) => p.marker)).toHaveLength(1);
  });

  it('cancel ends the event in progress at once and drops the queue', () => {
    const sender = new DtmfSender();
    sender.enqueue('123', 0, { durationMs: 2000 });
    sender.poll(0, 0);
    sender.poll(300, 2400);
    sender.cancel(320);
    const packets = sender.poll(400, 3200);
    expect(packets.map((p) => [p.sendAtMs, p.event.end, p.event.duration])).toEqual([
      [320, true, 2560],
      [340, true, 2560],
      [360, true, 2560],
    ]);
    expect(sender.isSending).toBe(false);
    expect(sender.pendingCount).toBe(0);
    expect(sender.poll(5000, 40000)).toEqual([]);
  });

  it('marks the end packet when an event is shorter than the packet interval', () => {
    const sender = new DtmfSender({ packetIntervalMs: 100, durationMs: 40 });
    sender.enqueue('*', 0);
    const packets = drive(sender, 200);
    expect(packets.map((p) => [p.sendAtMs, p.marker, p.event.end, p.event.duration])).toEqual([
      [40, true, true, 320],
      [60, false, true, 320],
      [80, false, true, 320],
    ]);
  });

  it.each([
    [{ durationMs: 20 }, /duration \(ms\) must be between 40/],
    [{ volume: 64 }, /volume/],
    [{ packetIntervalMs: 0 }, /packet interval/],
    [{ endPacketCount: 0 }, /end packet count/],
  ])('rejects invalid options %o', (options, message) => {
    expect(() => new DtmfSender(options)).toThrowError(message);
  });

  it('rejects an invalid digit string without queueing any of it', () => {
    const sender = new DtmfSender();
    expect(() => sender.enqueue('12E', 0)).toThrowError(/'E' at position 3/);
    expect(sender.pendingCount).toBe(0);
  });
});
