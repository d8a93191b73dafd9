// SIPp 3.6.1 as the PBX against the running emulator over real UDP and TCP on 127.0.0.1 (issue 4, "Done
// means"): an answered call whose echo the test hears, and every policy rejection of the list, each observed by
// SIPp with its exact status (the scenario's `<recv response="…">` and header checks in
// test/fixtures/sipp/zt-*.xml) and each leaving a CDR with the right code, name and source in the store; and the
// CPS limits under a burst of 20 INVITEs in one second (trunk bucket: refuse at once; account bucket: queue).

import dgram from 'node:dgram';
import { existsSync, readFileSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { afterEach, describe, expect, it } from 'vitest';
import { decodeMulaw, encodeMulaw } from '../../../src/media/codec/g711.js';
import { parseRtpPacket, serializeRtpPacket } from '../../../src/media/rtp/rtp-packet.js';
import { analyzeTone } from '../../../src/media/tone/tone-analysis.js';
import { ToneGenerator } from '../../../src/media/tone/tone-generator.js';
import { DEMO_ACCOUNT_CONFIG, DEMO_CREDENTIALS } from '../../../src/policy/index.js';
import type { CallDetailRecord } from '../../../src/store/index.js';
import { startEmulator, type EmulatorHarness } from '../../support/emulator-harness.js';
import { requirePeer, shouldRunWith } from '../../support/peer-binary.js';
import { LossyUdpRelay } from '../../support/lossy-udp-relay.js';
import { PeerProcesses } from '../../support/peer-process.js';
import { runSippClient, startSippClient, type SippClientRun } from '../../support/sipp-run.js';

const ECHO = '+14155550111';
const CALLER = '+14155550101';
const ACL_TRUNK = '10000000000002.zt.plivo.com';
const CREDENTIAL_TRUNK = '10000000000001.zt.plivo.com';
const AU_SERVICE_NUMBER_CLI = '+611300123456';

const peers = new PeerProcesses();
let harness: EmulatorHarness | undefined;
let dir: string | undefined;
const sockets: dgram.Socket[] = [];

afterEach(async () => {
  await peers.stopAll();
  for (const socket of sockets.splice(0)) socket.close();
  await harness?.close();
  harness = undefined;
  if (dir !== undefined) await rm(dir, { recursive: true, force: true });
  dir = undefined;
});

/**
 * The responses SIPp received, in order, from its `-message_file` log, as `status CSeq-method`; a UDP
 * retransmission (the same response again) is counted once.
 */
function receivedResponses(messages: string): string[] {
  const responses: string[] = [];
  for (const block of messages.split(/^-{20,}.*$/m)) {
    if (!/message received/.test(block)) continue;
    const status = /^SIP\/2\.0 (\d{3})/m.exec(block)?.[1];
    const method = /^CSeq:\s*\d+\s+(\w+)/im.exec(block)?.[1];
    if (status === undefined || method === undefined) continue;
    const response = `${status} ${method}`;
    if (responses.at(-1) !== response) responses.push(response);
  }
  return responses;
}

/** The emulator on UDP and TCP with the demo account plus an owned Australian 1300 number (for the CLI rule). */
async function emulator(
  account: Partial<typeof DEMO_ACCOUNT_CONFIG> = {},
  settings: Record<string, unknown> = {},
): Promise<EmulatorHarness> {
  harness = await startEmulator({
    account: {
      ...DEMO_ACCOUNT_CONFIG,
      numbers: [...(DEMO_ACCOUNT_CONFIG.numbers ?? []), { number: AU_SERVICE_NUMBER_CLI.slice(1) }],
      ...account,
    },
    settings,
  });
  dir = await mkdtemp(join(tmpdir(), 'emulator-sipp-policy-'));
  return harness;
}

function target(h: EmulatorHarness, transport: 'udp' | 'tcp'): { address: string; port: number } {
  const endpoint = transport === 'udp' ? h.udp : h.emulator.addresses().tcp!;
  return { address: endpoint.address, port: endpoint.port };
}

/** A UDP socket the SDP offer names as the PBX's media address. */
async function mediaSocket(): Promise<dgram.Socket> {
  const socket = dgram.createSocket('udp4');
  sockets.push(socket);
  await new Promise<void>((resolve) => socket.bind(0, '127.0.0.1', resolve));
  return socket;
}

function keysFor(socket: dgram.Socket, keys: Record<string, string> = {}): Record<string, string> {
  return {
    trunk_host: ACL_TRUNK,
    caller: CALLER,
    rtp_ip: '127.0.0.1',
    rtp_port: String(socket.address().port),
    payload_type: '0',
    rtpmap: 'a=rtpmap:0 PCMU/8000',
    extra_header: 'X-Trunkline-Test: acceptance',
    ...keys,
  };
}

/** Sends a PCMU tone to `port` from `socket` every 20 ms for `frames` frames; collects what comes back. */
async function toneAndEcho(
  socket: dgram.Socket,
  port: number,
  toneHz: number,
  frames: number,
): Promise<Int16Array> {
  const received: Int16Array[] = [];
  socket.on('message', (data) => {
    const parsed = parseRtpPacket(data);
    if ('packet' in parsed && parsed.packet.payloadType === 0)
      received.push(decodeMulaw(parsed.packet.payload));
  });
  const generator = new ToneGenerator({ tones: [{ frequencyHz: toneHz, levelDbfs: -12 }] });
  const pcm = new Int16Array(160);
  for (let i = 0; i < frames; i++) {
    const payload = Buffer.from(encodeMulaw(generator.fill(pcm)));
    const packet = serializeRtpPacket({
      marker: i === 0,
      payloadType: 0,
      sequenceNumber: 1000 + i,
      timestamp: 160 * i,
      ssrc: 0x5a5a_0001,
      csrcs: [],
      payload,
      paddingBytes: 0,
    });
    socket.send(packet, port, '127.0.0.1');
    await sleep(20);
  }
  await sleep(200);
  const all = new Int16Array(received.reduce((n, r) => n + r.length, 0));
  let offset = 0;
  for (const r of received) {
    all.set(r, offset);
    offset += r.length;
  }
  return all;
}

/** Polls SIPp's message log until the 200 to its INVITE is there and returns the emulator's RTP port. */
async function answeredMediaPort(messageFile: string, timeoutMs = 15_000): Promise<number> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const log = existsSync(messageFile) ? readFileSync(messageFile, 'utf8') : '';
    const match = /SIP\/2\.0 200 OK[\s\S]*?CSeq: 1 INVITE[\s\S]*?m=audio (\d+)/.exec(log);
    if (match?.[1] !== undefined) return Number(match[1]);
    if (Date.now() > deadline) throw new Error(`SIPp logged no 200 with SDP: ${log.slice(-2000)}`);
    await sleep(50);
  }
}

interface RejectionRow {
  readonly name: string;
  readonly scenario: string;
  readonly status: number;
  readonly code?: number;
  readonly causeName?: string;
  readonly service?: string;
  readonly keys?: Record<string, string>;
  readonly sourceIp?: string;
  readonly ruleId?: string;
}

const REJECTIONS: readonly RejectionRow[] = [
  {
    name: 'unknown caller ID',
    scenario: 'zt-invite-rejected-403.xml',
    status: 403,
    code: 4190,
    keys: { caller: '+14155559999' },
    ruleId: 'caller-id.owned',
  },
  {
    name: 'barred country (Cuba)',
    scenario: 'zt-invite-rejected-403.xml',
    status: 403,
    code: 4560,
    service: '+5372345678',
  },
  {
    name: 'premium number',
    scenario: 'zt-invite-rejected-403.xml',
    status: 403,
    code: 4570,
    service: '+19005550123',
  },
  {
    name: 'Australian CLI prefix (1300)',
    scenario: 'zt-invite-rejected-403.xml',
    status: 403,
    code: 4190,
    keys: { caller: AU_SERVICE_NUMBER_CLI },
    ruleId: 'caller-id.country-rules',
  },
  {
    name: 'missing country code',
    scenario: 'zt-invite-rejected-404.xml',
    status: 404,
    code: 4100,
    service: '4155550111',
  },
  {
    name: 'no G.711 in the offer',
    scenario: 'zt-invite-rejected-488.xml',
    status: 488,
    code: 4620,
    keys: { payload_type: '18', rtpmap: 'a=rtpmap:18 G729/8000' },
  },
  {
    name: 'unknown trunk',
    scenario: 'zt-invite-rejected-404.xml',
    status: 404,
    code: 4070,
    keys: { trunk_host: '99999999999999.zt.plivo.com' },
  },
  {
    name: 'source IP outside the ACL (127.0.0.2)',
    scenario: 'zt-invite-rejected-403.xml',
    status: 403,
    // An IP-ACL trunk that does not know the source is an authentication failure (§4.2 #4, §13).
    code: 4180,
    sourceIp: '127.0.0.2',
  },
  {
    name: 'Require: 100rel',
    scenario: 'zt-invite-rejected-420.xml',
    status: 420,
    keys: { extra_header: 'Require: 100rel' },
  },
];

describe.skipIf(!shouldRunWith('sipp'))('emulator ← SIPp as the PBX: answered, refused, CDRs', () => {
  for (const transport of ['udp', 'tcp'] as const) {
    describe(transport.toUpperCase(), () => {
      it('answers a call to the echo number; the tone sent to it comes back; CDR 3010 customer', async () => {
        requirePeer('sipp');
        const h = await emulator();
        const socket = await mediaSocket();
        const sipp = startSippClient(peers, dir!, `echo-${transport}`, {
          scenario: 'zt-invite-answered.xml',
          target: target(h, transport),
          transport,
          service: ECHO,
          keys: keysFor(socket),
          pauseMs: 3_000,
        });
        const port = await answeredMediaPort(sipp.messageFile);
        const echoed = await toneAndEcho(socket, port, 700, 75);
        const result = await sipp.done;
        expect(result.exitCode, result.output + result.errors).toBe(0);
        expect(result.stats['SuccessfulCall']).toBe(1);
        // The scenario tolerates any provisional; the ladder SIPp received is exact (docs/adr/0088).
        expect(receivedResponses(result.messages)).toEqual([
          '100 INVITE',
          '180 INVITE',
          '200 INVITE',
          '200 BYE',
        ]);
        expect(analyzeTone(echoed, 700).present).toBe(true);
        const cdr = await h.cdr((c) => c.to_number === ECHO);
        expect(cdr).toMatchObject({
          call_direction: 'outbound',
          from_number: CALLER,
          hangup_cause_code: 3010,
          hangup_source: 'customer',
          sip_status: 200,
          transport_protocol: transport,
          trunk_id: '10000000000002',
        });
      });

      for (const row of REJECTIONS) {
        it(`${row.name}: SIPp sees ${row.status}${row.code ? ` (${row.code})` : ''}; the CDR says why`, async () => {
          requirePeer('sipp');
          const h = await emulator();
          const socket = await mediaSocket();
          const run: SippClientRun = {
            scenario: row.scenario,
            target: target(h, transport),
            transport,
            service: row.service ?? ECHO,
            keys: keysFor(socket, row.keys),
            ...(row.sourceIp !== undefined ? { sourceIp: row.sourceIp } : {}),
          };
          const result = await runSippClient(peers, dir!, `reject-${transport}`, run);
          expect(result.exitCode, result.output + result.errors).toBe(0);
          expect(result.stats['SuccessfulCall']).toBe(1);
          const callId = /Call-ID: (\S+)/.exec(result.messages)?.[1];
          expect(callId).toBeTruthy();
          if (row.code !== undefined) {
            expect(result.messages).toContain(`X-ZT-Hangup-Code: ${row.code}`);
          }
          const cdr = await h.cdr(callId!);
          expect(cdr).toMatchObject({
            hangup_source: 'zentrunk',
            sip_status: row.status,
            transport_protocol: transport,
          });
          expect(cdr.hangup_cause_name).toBeTruthy();
          expect(cdr.hangup_cause_code).toBe(row.code ?? 4000);
          if (row.ruleId !== undefined) expect(cdr.policy_rule_id).toBe(row.ruleId);
        });
      }

      it('wrong credentials: 407 for the trunk domain, then 403 with 4180; CDR 4180', async () => {
        requirePeer('sipp');
        const h = await emulator();
        const socket = await mediaSocket();
        const result = await runSippClient(peers, dir!, `auth-${transport}`, {
          scenario: 'zt-invite-auth-403.xml',
          target: target(h, transport),
          transport,
          service: ECHO,
          keys: keysFor(socket, { trunk_host: CREDENTIAL_TRUNK }),
          extraArgs: [
            '-au',
            DEMO_CREDENTIALS.credential.username,
            '-ap',
            'not-the-password',
            // SIPp's default digest uri is the target's address; Zentrunk checks it against the Request-URI.
            '-auth_uri',
            `${ECHO}@${CREDENTIAL_TRUNK}`,
          ],
        });
        expect(result.exitCode, result.output + result.errors).toBe(0);
        const cdr = await h.cdr((c) => c.hangup_cause_code === 4180);
        expect(cdr).toMatchObject({ sip_status: 403, hangup_source: 'zentrunk', trunk_id: '10000000000001' });
      });

      it('INFO, MESSAGE and REGISTER outside a dialog: 405 with Allow each', async () => {
        requirePeer('sipp');
        const h = await emulator();
        const result = await runSippClient(peers, dir!, `method-${transport}`, {
          scenario: 'zt-method-405.xml',
          target: target(h, transport),
          transport,
          service: ECHO,
          keys: { trunk_host: ACL_TRUNK, caller: CALLER },
        });
        expect(result.exitCode, result.output + result.errors).toBe(0);
        for (const method of ['INFO', 'MESSAGE', 'REGISTER']) {
          expect(result.messages).toMatch(new RegExp(`SIP/2\\.0 405[^]*?CSeq: \\d+ ${method}`));
        }
        expect(result.messages.match(/Allow: [^\r\n]*INVITE/g)).toHaveLength(3);
      });
    });
  }
});

describe.skipIf(!shouldRunWith('sipp'))('emulator ← SIPp over a lossy path', () => {
  // Under load the emulator's socket can overflow and the kernel drops what SIPp sends. The emulator then
  // retransmits its 200 (no ACK came), and that 200 reaches SIPp about when SIPp would retransmit its BYE. The
  // scenario's BYE must wait for the BYE's own 200 (`start_txn` / `response_txn`): taking the INVITE's 200 for it
  // let SIPp count the call as ended while the emulator never saw a BYE — in a bench run that melted down, thousands
  // of calls stayed up, each holding its RTP port.
  it('the ACK and the BYE are lost once: SIPp resends the BYE until its own 200; the call ends (CDR 3010)', async () => {
    requirePeer('sipp');
    const h = await emulator();
    const relay = await LossyUdpRelay.start(
      h.udp,
      (d) =>
        d.direction === 'to-trunk' &&
        (d.cseqMethod === 'ACK' || d.cseqMethod === 'BYE') &&
        d.occurrence === 0,
    );
    try {
      const socket = await mediaSocket();
      const result = await runSippClient(peers, dir!, 'lossy-bye', {
        scenario: 'zt-invite-answered.xml',
        target: { address: '127.0.0.1', port: relay.clientPort },
        transport: 'udp',
        service: ECHO,
        keys: keysFor(socket),
        // The BYE leaves right after the ACK, so both are lost before the emulator's first 200 retransmission.
        pauseMs: 0,
      });
      expect(result.exitCode, result.output + result.errors).toBe(0);
      expect(relay.dropped.map((d) => d.cseqMethod)).toEqual(['ACK', 'BYE']);
      expect(receivedResponses(result.messages)).toContain('200 BYE');
      const cdr = await h.cdr((c) => c.to_number === ECHO);
      expect(cdr).toMatchObject({ hangup_cause_code: 3010, hangup_source: 'customer', sip_status: 200 });
    } finally {
      await relay.close();
    }
  });
});

describe.skipIf(!shouldRunWith('sipp'))(
  'emulator ← SIPp: CPS under a burst of 20 INVITEs in one second',
  () => {
    const POOL_TRUNK = '10000000000004.zt.plivo.com';

    it('trunk CPS 1: one call answered, 19 refused at once with 503 + 5180 (no queueing)', async () => {
      requirePeer('sipp');
      const h = await emulator();
      const socket = await mediaSocket();
      const result = await runSippClient(peers, dir!, 'cps-trunk', {
        scenario: 'zt-invite-cps.xml',
        target: target(h, 'udp'),
        transport: 'udp',
        service: ECHO,
        keys: keysFor(socket),
        calls: 20,
        ratePerS: 20,
      });
      expect(result.exitCode, result.output + result.errors).toBe(0);
      expect(result.stats['SuccessfulCall']).toBe(20);
      // SIPp logs each 503 once per call (the ACK stops the retransmissions of the 503).
      const refusals = new Set(
        [...result.messages.matchAll(/SIP\/2\.0 503[^]*?Call-ID: (\S+)/g)].map((m) => m[1]),
      );
      expect(refusals.size).toBe(19);
      const cdrs = await eventuallyCdrs(h, 20);
      const refused = cdrs.filter((c) => c.sip_status === 503);
      expect(refused).toHaveLength(19);
      for (const cdr of refused) {
        expect(cdr).toMatchObject({ hangup_cause_code: 5180, hangup_source: 'zentrunk' });
        expect(cdr.queue_delay_ms ?? 0).toBe(0);
      }
      expect(cdrs.filter((c) => c.sip_status === 200)).toHaveLength(1);
    });

    it('account CPS 2 with queueing: all 20 answered, released two a second; queue delays in the CDRs', async () => {
      requirePeer('sipp');
      const h = await emulator(
        {
          limits: {
            ...DEMO_ACCOUNT_CONFIG.limits,
            account_cps: 2,
            // Only the IP-ACL trunk keeps an allocation (1); the others draw on the account's 2 (§12.1).
            trunk_cps: { '10000000000001': null, '10000000000003': null, '10000000000004': null },
          },
        },
        { accountCpsOverflow: 'queue', accountCpsQueueBoundMs: 20_000 },
      );
      const socket = await mediaSocket();
      const result = await runSippClient(peers, dir!, 'cps-account', {
        scenario: 'zt-invite-cps.xml',
        target: target(h, 'udp'),
        transport: 'udp',
        service: ECHO,
        keys: keysFor(socket, { trunk_host: POOL_TRUNK }),
        calls: 20,
        ratePerS: 20,
        pauseMs: 200,
      });
      expect(result.exitCode, result.output + result.errors).toBe(0);
      expect(result.stats['SuccessfulCall']).toBe(20);
      expect(result.messages).not.toContain('SIP/2.0 503');
      const cdrs = await eventuallyCdrs(h, 20);
      expect(cdrs.every((c) => c.sip_status === 200 && c.hangup_cause_code === 3010)).toBe(true);
      // Two a second: the last of 20 waits at least 9 s minus the burst's own second; a loaded machine only adds.
      const delays = cdrs.map((c) => c.queue_delay_ms ?? 0).sort((a, b) => a - b);
      expect(delays[delays.length - 1]).toBeGreaterThanOrEqual(8_000);
      expect(delays.filter((d) => d > 0).length).toBeGreaterThanOrEqual(17);
      expect(h.events.cpsQueue?.some((e) => e.state === 'queued')).toBe(true);
    });
  },
);

/** The store's CDRs once there are `count` of them. */
async function eventuallyCdrs(h: EmulatorHarness, count: number): Promise<CallDetailRecord[]> {
  const deadline = Date.now() + 15_000;
  for (;;) {
    const cdrs = h.emulator.store.listCdrs({ limit: 1000 }).objects;
    if (cdrs.length >= count) return cdrs;
    if (Date.now() > deadline) throw new Error(`${cdrs.length} CDRs written, ${count} expected`);
    await sleep(50);
  }
}
