// What a per-call capture needs from the softphone, against the in-process emulator: the call's Call-ID (to filter
// the user agent's SIP trace), its media packet tap (RTP both ways with real addresses, SRTP flagged and already
// decrypted) subscribed before media opens, and the transport's TLS key lines, which never reach `log`/`warning`.

import { describe, expect, it } from 'vitest';
import type { MediaPacketRecord } from '../../src/media/session/index.js';
import { ToneSource } from '../../src/media/session/index.js';
import { eventually } from '../support/emulator-harness.js';
import { ECHO_NUMBER, startPhoneOnEmulator, startRoomyEmulator } from '../support/phone-and-emulator.js';
import { endOf, untilState } from '../support/softphone-fixtures.js';
import { useTeardown } from '../support/teardown.js';

const teardown = useTeardown();

/** RTP version 2 (RFC 3550 §5.1): the first two bits of a plaintext packet. */
function isPlainRtp(bytes: Uint8Array): boolean {
  return bytes.length >= 12 && bytes[0] >> 6 === 2;
}

describe.each(['udp', 'tls'] as const)('call evidence over %s', (transport) => {
  it('taps the call media both ways from before the answer and names the Call-ID of its INVITE', async () => {
    const harness = await startRoomyEmulator(teardown);
    const phone = await startPhoneOnEmulator(harness, transport, teardown);
    const keyLines: string[] = [];
    const logged: string[] = [];
    phone.on('tlsKeyLog', (line) => keyLines.push(line.toString('latin1')));
    phone.on('log', (entry) => logged.push(entry.message));
    phone.on('warning', (warning) => logged.push(warning.message));
    const invites: string[] = [];
    phone.trace.subscribe((record) => {
      if (record.kind !== 'message' || record.direction !== 'sent') return;
      const text = Buffer.from(record.bytes).toString('latin1');
      if (text.startsWith('INVITE ')) invites.push(/^Call-ID:\s*(.+)$/im.exec(text)?.[1]?.trim() ?? '');
    });

    const call = phone.call(ECHO_NUMBER, { source: ToneSource.sine(440) });
    const records: Array<Omit<MediaPacketRecord, 'bytes'> & { plain: boolean }> = [];
    // Subscribed before media exists: the tap must follow the session the call opens later.
    const tap = call.tapPackets((record) => records.push({ ...record, plain: isPlainRtp(record.bytes) }));
    await untilState(call, 'answered');
    await eventually(
      () =>
        records.filter((r) => r.kind === 'rtp' && r.direction === 'received').length >= 10 &&
        records.filter((r) => r.kind === 'rtp' && r.direction === 'sent').length >= 10,
      5_000,
      'RTP both ways in the tap',
    );
    tap.dispose();
    const countAfterDispose = records.length;
    await call.hangup();
    await endOf(call);

    expect(invites.length).toBeGreaterThan(0);
    expect(new Set(invites)).toEqual(new Set([call.sipCallId]));
    const rtp = records.filter((r) => r.kind === 'rtp');
    // Plaintext even on SRTP, flagged so the PCAP can say it was encrypted on the wire.
    expect(rtp.every((r) => r.plain)).toBe(true);
    expect(rtp.every((r) => r.srtp === (transport === 'tls'))).toBe(true);
    const sent = rtp.find((r) => r.direction === 'sent')!;
    expect(sent.local.port).toBe(call.mediaState?.localPort);
    expect(sent.remote.port).toBe(call.mediaState?.remote.port);
    expect(records.length).toBe(countAfterDispose);

    if (transport === 'tls') {
      expect(keyLines.length).toBeGreaterThan(0);
      expect(keyLines.every((line) => /^[A-Z0-9_]+ [0-9a-fA-F]+ [0-9a-fA-F]+\n?$/.test(line))).toBe(true);
      const secrets = keyLines.map((line) => line.trim().split(' ')[2]);
      for (const text of logged) for (const secret of secrets) expect(text).not.toContain(secret);
    } else {
      expect(keyLines).toEqual([]);
    }
  });
});

describe('the tlsKeyLog option', () => {
  it('sees the keys of the connection an OPTIONS keep-alive opens inside start()', async () => {
    const harness = await startRoomyEmulator(teardown);
    const keyLines: Buffer[] = [];
    const phone = await startPhoneOnEmulator(harness, 'tls', teardown, {
      profile: { optionsKeepAliveIntervalS: 15 },
      phone: { tlsKeyLog: (line) => keyLines.push(line) },
    });
    const pinged = new Promise<boolean>((resolve) =>
      phone.on('options', (status) => resolve(status.reachable)),
    );
    expect(await pinged).toBe(true);
    expect(keyLines.length).toBeGreaterThan(0);
    expect(
      keyLines.every((line) => /^[A-Z0-9_]+ [0-9a-fA-F]+ [0-9a-fA-F]+\n?$/.test(line.toString('latin1'))),
    ).toBe(true);
  });
});
