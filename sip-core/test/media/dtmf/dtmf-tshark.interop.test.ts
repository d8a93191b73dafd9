// RFC 4733 against independent implementations: tshark's RTP-event dissector reads the packets our sender
// makes, and our receiver reads the telephone-event captures Debian ships with SIPp (recorded from another
// stack in 2005: first packet with duration 0, a 16 kHz-style duration scale, three end packets).

import { existsSync } from 'node:fs';
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { DtmfReceiver } from '../../../src/media/dtmf/dtmf-receiver.js';
import { DtmfSender, type TelephoneEventPacket } from '../../../src/media/dtmf/dtmf-sender.js';
import { parseTelephoneEvent } from '../../../src/media/dtmf/telephone-event.js';
import { requirePeer } from '../../support/peer-binary.js';
import { rtpPcap } from '../../support/rtp-pcap.js';
import { runPeer } from '../../support/run-peer.js';
import { useTempDir } from '../../support/temp-dir.js';

const hasTshark = requirePeer('tshark');
const SIPP_PCAPS = '/usr/share/sip-tester';
const EVENT_PAYLOAD_TYPE = 101;

interface DissectedEvent {
  seconds: number;
  marker: boolean;
  timestamp: number;
  eventId: number;
  end: boolean;
  volume: number;
  duration: number;
  udpPayload: Buffer;
}

/** tshark's view of every RTP event packet in `pcap`, sent to `port`. */
function dissect(pcap: string, port: number): DissectedEvent[] {
  const fields = [
    'frame.time_relative',
    'rtp.marker',
    'rtp.timestamp',
    'rtpevent.event_id',
    'rtpevent.end_of_event',
    'rtpevent.volume',
    'rtpevent.duration',
    'udp.payload',
  ];
  const { stdout } = runPeer('tshark', [
    '-r',
    pcap,
    '-d',
    `udp.port==${port},rtp`,
    '-o',
    `rtpevent.event_payload_type_value:${EVENT_PAYLOAD_TYPE}`,
    '-T',
    'fields',
    '-E',
    'separator=,',
    ...fields.flatMap((f) => ['-e', f]),
  ]);
  return stdout
    .toString()
    .trim()
    .split('\n')
    .map((line) => {
      const [seconds, marker, timestamp, eventId, end, volume, duration, payload] = line.split(',');
      return {
        seconds: Number(seconds),
        marker: marker === '1' || marker === 'True',
        timestamp: Number(timestamp),
        eventId: Number(eventId),
        end: end === '1' || end === 'True',
        volume: Number(volume),
        duration: Number(duration),
        udpPayload: Buffer.from(payload ?? '', 'hex'),
      };
    });
}

describe.skipIf(!hasTshark)('RFC 4733 interop with tshark', () => {
  const tempDir = useTempDir('trunkline-dtmf-');

  it('tshark dissects the packets of our sender as the events we meant', async () => {
    const sender = new DtmfSender();
    sender.enqueue('159#', 0);
    const packets: TelephoneEventPacket[] = [];
    for (let now = 0; sender.nextDueMs() !== undefined; now += 20)
      packets.push(...sender.poll(now, 160_000 + now * 8));
    const path = join(tempDir(), 'ours.pcap');
    await writeFile(
      path,
      rtpPcap(
        packets.map((p, i) => ({
          ...p,
          atMs: p.sendAtMs,
          payloadType: EVENT_PAYLOAD_TYPE,
          sequence: 1000 + i,
          ssrc: 0x1234,
        })),
      ),
    );
    const seen = dissect(path, 40002);
    expect(seen).toHaveLength(packets.length);
    seen.forEach((d, i) => {
      const p = packets[i];
      expect({
        marker: d.marker,
        timestamp: d.timestamp,
        eventId: d.eventId,
        end: d.end,
        volume: d.volume,
        duration: d.duration,
      }).toEqual({
        marker: p.marker,
        timestamp: p.timestamp,
        eventId: p.event.event,
        end: p.event.end,
        volume: p.event.volume,
        duration: p.event.duration,
      });
    });
    expect(seen.filter((d) => d.end)).toHaveLength(12);
    expect(seen.filter((d) => d.marker).map((d) => d.eventId)).toEqual([1, 5, 9, 11]);
  });

  const captures = ['0', '1', '2', '3', '4', '5', '6', '7', '8', '9', 'star', 'pound'];
  const haveCaptures = existsSync(join(SIPP_PCAPS, 'dtmf_2833_1.pcap'));
  if (!haveCaptures && process.env.CI === 'true')
    throw new Error(`SIPp's captures are missing from ${SIPP_PCAPS}.`);

  it.skipIf(!haveCaptures).each(captures)(
    'our receiver reads dtmf_2833_%s.pcap of SIPp as tshark does',
    (name) => {
      const events = dissect(join(SIPP_PCAPS, `dtmf_2833_${name}.pcap`), 10000);
      const receiver = new DtmfReceiver();
      const reports = events.flatMap((e) => {
        // The RTP payload follows the 12-byte RTP header of the UDP payload.
        const payload = e.udpPayload.subarray(12);
        expect(parseTelephoneEvent(payload)).toEqual({
          event: e.eventId,
          end: e.end,
          reserved: false,
          volume: e.volume,
          duration: e.duration,
        });
        return receiver.receive({ timestamp: e.timestamp, marker: e.marker, payload }, e.seconds * 1000);
      });
      const symbol = name === 'star' ? '*' : name === 'pound' ? '#' : name;
      expect(reports).toEqual([
        expect.objectContaining({ type: 'digit-start', symbol, markerSeen: true }),
        expect.objectContaining({ type: 'digit-end', symbol, durationSamples: 2240, reason: 'end-bit' }),
      ]);
      expect(receiver.stats.duplicates).toBe(2);
    },
  );
});
