import { createCipheriv, createHmac, randomBytes } from 'node:crypto';
import { availableParallelism, cpus } from 'node:os';
import { type RtpPacket, serializeRtpPacket } from '../../src/media/rtp/rtp-packet.js';
import { SrtpMasterKey } from '../../src/media/srtp/srtp-master-key.js';
import { SRTP_PROFILES, type SrtpProfileName } from '../../src/media/srtp/srtp-profile.js';
import { SrtpSession } from '../../src/media/srtp/srtp-session.js';
import { type BenchPart, type BenchTable, formatNumber, interleavedMedians } from './bench-part.js';

// Part 1: SRTP protect + unprotect of 172-octet G.711 packets (12-octet header, 160 octets of payload) per second on
// one core, against a bare node:crypto baseline doing the same cryptographic work per packet and direction: one
// AES-128-CTR encryption of the 160 payload octets and one HMAC-SHA1 over the packet. The baseline has no replay
// window, no ROC, no header parsing and no tag check, so a ratio near 1 means the SRTP logic around the crypto
// costs little.

const PAYLOAD_BYTES = 160;
const TARGET_RATIO = 0.8;
const ROUNDS = 7;
const OPS_PER_ROUND = 40_000;

function template(): Buffer {
  const packet: RtpPacket = {
    marker: false,
    payloadType: 0,
    sequenceNumber: 0,
    timestamp: 0,
    ssrc: 0x1234_5678,
    csrcs: [],
    payload: randomBytes(PAYLOAD_BYTES),
    paddingBytes: 0,
  };
  return serializeRtpPacket(packet);
}

function trunklineContender(profile: SrtpProfileName): (i: number) => void {
  const masterKey = SrtpMasterKey.generate(SRTP_PROFILES[profile]);
  const sender = new SrtpSession({ profile, masterKey });
  const receiver = new SrtpSession({ profile, masterKey });
  const packet = template();
  // A running count, not the round's index: the replay window refuses a sequence number it has seen.
  let sent = 0;
  return () => {
    sent++;
    packet.writeUInt16BE(sent & 0xffff, 2);
    packet.writeUInt32BE((sent * PAYLOAD_BYTES) >>> 0, 4);
    const result = receiver.unprotectRtp(sender.protectRtp(packet));
    if (!result.ok) throw new Error(`unprotect failed: ${result.reason}`);
  };
}

function baselineContender(): (i: number) => void {
  const encryptionKey = randomBytes(16);
  const authKey = randomBytes(20);
  const iv = randomBytes(16);
  const packet = template();
  const tagBytes = 10;
  let sent = 0;
  return () => {
    sent++;
    packet.writeUInt16BE(sent & 0xffff, 2);
    packet.writeUInt32BE((sent * PAYLOAD_BYTES) >>> 0, 4);
    // Sender: header and encrypted payload into a new datagram, then the tag over both.
    const datagram = Buffer.allocUnsafe(packet.length + tagBytes);
    packet.copy(datagram, 0, 0, 12);
    createCipheriv('aes-128-ctr', encryptionKey, iv).update(packet.subarray(12)).copy(datagram, 12);
    createHmac('sha1', authKey)
      .update(datagram.subarray(0, packet.length))
      .digest()
      .copy(datagram, packet.length, 0, tagBytes);
    // Receiver: the tag again, then decryption.
    const check = createHmac('sha1', authKey).update(datagram.subarray(0, packet.length)).digest();
    const plain = createCipheriv('aes-128-ctr', encryptionKey, iv).update(
      datagram.subarray(12, packet.length),
    );
    if (check[0] !== datagram[packet.length] || plain[0] !== packet[12]) throw new Error('baseline mismatch');
  };
}

export const srtpThroughputPart: BenchPart = {
  name: 'srtp',
  run(): Promise<BenchTable> {
    const contenders = [
      { name: 'node:crypto baseline (AES-128-CTR + HMAC-SHA1)', operation: baselineContender() },
      {
        name: 'Trunkline SrtpSession AES_CM_128_HMAC_SHA1_80',
        operation: trunklineContender('AES_CM_128_HMAC_SHA1_80'),
      },
      {
        name: 'Trunkline SrtpSession AES_CM_128_HMAC_SHA1_32',
        operation: trunklineContender('AES_CM_128_HMAC_SHA1_32'),
      },
    ];
    const medians = interleavedMedians(contenders, {
      rounds: ROUNDS,
      opsPerRound: OPS_PER_ROUND,
      warmupOps: 20_000,
    });
    const baseline = medians.get(contenders[0].name)!.median;
    const rows = contenders.map(({ name }) => {
      const { median, samples } = medians.get(name)!;
      const spread = `${formatNumber(Math.min(...samples) / 1000)}k-${formatNumber(Math.max(...samples) / 1000)}k`;
      return [
        name,
        formatNumber(median),
        formatNumber(1e6 / median, 2),
        spread,
        formatNumber(median / 100),
        formatNumber(median / baseline, 2),
      ];
    });
    const worst = Math.min(...contenders.slice(1).map(({ name }) => medians.get(name)!.median / baseline));
    return Promise.resolve({
      title: `SRTP protect + unprotect of 172-octet G.711 RTP packets, one core (${cpus()[0]?.model ?? 'unknown CPU'}, ${availableParallelism()} cores shared)`,
      columns: [
        'contender',
        'packets/s (median)',
        'µs/packet',
        `spread of ${ROUNDS} rounds`,
        'G.711 calls (100 pkt/s)',
        'ratio',
      ],
      rows,
      notes: [
        `One packet = protect on the sender + unprotect on the receiver. Rounds are interleaved; medians of ${ROUNDS} rounds of ${formatNumber(OPS_PER_ROUND)} packets.`,
        `Ratio to the baseline measured in the same run: worst ${formatNumber(worst, 2)} (target ≥ ${TARGET_RATIO}): ${worst >= TARGET_RATIO ? 'met' : 'NOT MET'}.`,
      ],
    });
  },
};
