import { randomInt } from 'node:crypto';
import { type Socket, createSocket } from 'node:dgram';
import { encodeMulaw } from '../../src/media/codec/g711.js';
import { isRtcpPacket } from '../../src/media/rtp/rtp-rtcp-demux.js';
import { serializeRtpPacket } from '../../src/media/rtp/rtp-packet.js';
import { SrtpMasterKey } from '../../src/media/srtp/srtp-master-key.js';
import { SRTP_PROFILES } from '../../src/media/srtp/srtp-profile.js';
import { SrtpSession } from '../../src/media/srtp/srtp-session.js';
import { ToneGenerator } from '../../src/media/tone/tone-generator.js';
import type {
  ChildToParent,
  EchoEndpoint,
  LoadSideResult,
  ParentToChild,
} from './session-capacity-protocol.js';

// The load generator of the session-capacity benchmark (its own process): one UDP socket per far end, sending a
// 1 kHz µ-law tone at 50 packets per second — SRTP-protected with the session's receive key, or plain to the bare
// echo — and counting the echoes against their RTP timestamps (which SRTP leaves in the clear): a frame the session
// skipped under load leaves a timestamp gap without a sequence gap, and must count as lost all the same.
// The first echo and one in 25 after it are authenticated with the session's send key, to prove the echoes are real
// SRTP from our session.
// Sending is spread over four 5 ms slots per frame, like calls that did not all start in the same millisecond
// (BENCH_LOAD_SLOTS changes the count; 20 gives every far end its own millisecond, which measured no different).

const count = Number(process.argv[2] ?? '0');
const PROFILE = SRTP_PROFILES.AES_CM_128_HMAC_SHA1_80;
/** Send slots per 20 ms frame (BENCH_LOAD_SLOTS, 1–20): 4 puts a quarter of the far ends in each 5 ms slot. */
const SLOTS = Number(process.env.BENCH_LOAD_SLOTS ?? 4);
if (!(Number.isInteger(SLOTS) && SLOTS >= 1 && SLOTS <= 20)) {
  throw new Error(
    `BENCH_LOAD_SLOTS must be a whole number from 1 to 20, not ${process.env.BENCH_LOAD_SLOTS}`,
  );
}
const SLOT_MS = 20 / SLOTS;
const VERIFY_EVERY = 25;

interface Stream {
  readonly socket: Socket;
  target: number;
  protect: ((packet: Buffer) => Buffer) | undefined;
  verifier: SrtpSession | undefined;
  readonly ssrc: number;
  sequence: number;
  timestamp: number;
  sent: number;
  /** Echo reception: count, first timestamp, and the highest timestamp since, in 20 ms frames. */
  received: number;
  firstTimestamp: number | undefined;
  highestFrame: number;
}

const payload = encodeMulaw(new ToneGenerator({ tones: [{ frequencyHz: 1000, levelDbfs: -12 }] }).next(160));
const streams: Stream[] = [];
let verified = 0;
let verifyFailures = 0;
let windowStart: { cpu: NodeJS.CpuUsage; sent: number; received: number; expected: number } | undefined;

function send(message: ChildToParent): void {
  process.send?.(message);
}

function onEcho(stream: Stream, data: Buffer): void {
  if (isRtcpPacket(data) || data.length < 12) return;
  const timestamp = data.readUInt32BE(4);
  stream.firstTimestamp ??= timestamp;
  // Within a 32-bit wrap of the first (a run lasts seconds), frames since the first echo.
  const frame = Math.round(((timestamp - stream.firstTimestamp) >>> 0) / 160);
  if (frame < 0x8000_0000 / 160) stream.highestFrame = Math.max(stream.highestFrame, frame);
  stream.received++;
  // The first echo too: the verifier must learn the rollover counter before the session's sequence number wraps
  // (it starts at a random value), or every later check of that stream would fail.
  if (stream.verifier && (stream.received === 1 || stream.received % VERIFY_EVERY === 0)) {
    verified++;
    if (!stream.verifier.unprotectRtp(Buffer.from(data)).ok) verifyFailures++;
  }
}

async function openStreams(): Promise<void> {
  for (let i = 0; i < count; i++) {
    const socket = createSocket('udp4');
    await new Promise<void>((resolve) => socket.bind(0, '127.0.0.1', resolve));
    const stream: Stream = {
      socket,
      target: 0,
      protect: undefined,
      verifier: undefined,
      ssrc: randomInt(1, 2 ** 31),
      sequence: randomInt(0, 0xffff),
      timestamp: randomInt(0, 2 ** 31),
      sent: 0,
      received: 0,
      firstTimestamp: undefined,
      highestFrame: 0,
    };
    socket.on('message', (data) => onEcho(stream, data));
    streams.push(stream);
  }
  send({ type: 'far-ends', farEnds: streams.map((s) => ({ port: s.socket.address().port })) });
}

function connect(endpoints: readonly EchoEndpoint[]): void {
  endpoints.forEach((endpoint, i) => {
    const stream = streams[i];
    stream.target = endpoint.rtpPort;
    if (endpoint.receiveKey && endpoint.sendKey) {
      const sender = new SrtpSession({
        profile: PROFILE.name,
        masterKey: SrtpMasterKey.fromKeySalt(Buffer.from(endpoint.receiveKey, 'base64'), PROFILE),
      });
      stream.protect = (packet) => sender.protectRtp(packet);
      stream.verifier = new SrtpSession({
        profile: PROFILE.name,
        masterKey: SrtpMasterKey.fromKeySalt(Buffer.from(endpoint.sendKey, 'base64'), PROFILE),
      });
    }
  });
}

function sendOne(stream: Stream): void {
  const packet = serializeRtpPacket({
    marker: stream.sent === 0,
    payloadType: 0,
    sequenceNumber: stream.sequence,
    timestamp: stream.timestamp,
    ssrc: stream.ssrc,
    csrcs: [],
    payload,
    paddingBytes: 0,
  });
  stream.sequence = (stream.sequence + 1) & 0xffff;
  stream.timestamp = (stream.timestamp + 160) >>> 0;
  stream.sent++;
  stream.socket.send(stream.protect ? stream.protect(packet) : packet, stream.target, '127.0.0.1');
}

function startSending(): void {
  const startMs = performance.now();
  let slot = 0;
  const tick = (): void => {
    // Deadlines from the start (no drift); a late tick sends the slots it missed.
    const due = Math.floor((performance.now() - startMs) / SLOT_MS);
    for (; slot <= due; slot++) {
      for (let i = slot % SLOTS; i < streams.length; i += SLOTS) sendOne(streams[i]);
    }
    setTimeout(tick, Math.max(0, startMs + slot * SLOT_MS - performance.now()));
  };
  tick();
}

function counts(): { sent: number; received: number; expected: number } {
  let sent = 0;
  let received = 0;
  let expected = 0;
  for (const s of streams) {
    sent += s.sent;
    received += s.received;
    expected += s.highestFrame;
  }
  return { sent, received, expected };
}

function result(): LoadSideResult {
  const start = windowStart!;
  const end = counts();
  const cpu = process.cpuUsage(start.cpu);
  const expected = end.expected - start.expected;
  return {
    sent: end.sent - start.sent,
    expected,
    lost: Math.max(0, expected - (end.received - start.received)),
    verified,
    verifyFailures,
    cpuSeconds: (cpu.user + cpu.system) / 1e6,
  };
}

process.on('message', (message: ParentToChild) => {
  switch (message.type) {
    case 'endpoints':
      connect(message.endpoints);
      send({ type: 'endpoints', endpoints: message.endpoints });
      break;
    case 'start':
      startSending();
      break;
    case 'window-start':
      windowStart = { cpu: process.cpuUsage(), ...counts() };
      break;
    case 'window-end':
      send({ type: 'load-result', result: result() });
      for (const s of streams) s.socket.close();
      process.exit(0);
      break;
    case 'far-ends':
      // Not sent to this worker.
      break;
  }
});

void openStreams();
