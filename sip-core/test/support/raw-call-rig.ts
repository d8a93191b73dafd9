// The rig of the tests that must see each datagram of one call the moment it leaves (the durable BYE, the 2xx re-sent
// until its ACK): an emulator on a ManualClock, a raw UDP socket as the PBX recording every datagram's text, and the
// INVITE it sent, answered. The emulator's timers run only when the test moves the clock.

import { ManualClock } from '../../src/common/manual-clock.js';
import { startEmulator, type EmulatorHarness } from './emulator-harness.js';
import { pollUntil } from './poll-until.js';
import { RawUdpCall, responseOf } from './raw-udp-caller.js';
import { UdpTestSocket } from './udp-test-peer.js';

export interface RawCallRig {
  readonly harness: EmulatorHarness;
  readonly clock: ManualClock;
  readonly peer: UdpTestSocket;
  readonly call: RawUdpCall;
  /** Every datagram the PBX received, as text, in order. */
  readonly received: string[];
  /** The responses received so far with this CSeq method and status. */
  readonly responses: (method: string, status: number) => Array<NonNullable<ReturnType<typeof responseOf>>>;
  /** Closes the socket and the emulator. */
  readonly close: () => Promise<void>;
}

/** Starts the rig and sends the INVITE; resolves once its 200 is in (not acknowledged). */
export async function rawCallAnswered(name: string): Promise<RawCallRig> {
  const clock = new ManualClock({ epochMs: Date.now() });
  const harness = await startEmulator({}, { clock });
  const peer = await UdpTestSocket.open();
  const received: string[] = [];
  peer.onDatagram = (d) => received.push(d.text);
  const call = new RawUdpCall(`${name}-${Date.now()}@pbx`, { localPort: peer.port, rtpPort: 9 });
  const responses = (method: string, status: number) =>
    received
      .map(responseOf)
      .filter((r): r is NonNullable<typeof r> => r?.method === method && r.status === status);
  const rig: RawCallRig = {
    harness,
    clock,
    peer,
    call,
    received,
    responses,
    close: async () => {
      peer.close();
      await harness.close();
    },
  };
  try {
    peer.send(call.invite(), harness.udp.port);
    // The far end answers on the emulator's clock: the polls advance it by 0 until the 200 is out.
    const ok = await pollUntil('the 200 to the INVITE', () => responses('INVITE', 200)[0], clock);
    call.answered(ok.message);
  } catch (error) {
    await rig.close();
    throw error;
  }
  return rig;
}
