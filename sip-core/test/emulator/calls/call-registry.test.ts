import { setImmediate as nextTurn } from 'node:timers/promises';
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { describe, expect, it } from 'vitest';
import { CallRegistry } from '../../../src/emulator/calls/call-registry.js';
import { dialogKey } from '../../../src/sip/dialog/index.js';
import type { SipRequest } from '../../../src/sip/message/index.js';
import type { InviteServerTransaction } from '../../../src/sip/transaction/index.js';

// The registry's INVITE → call entries (for CANCEL). The stack keeps an INVITE server transaction for 64·T1 after
// its 2xx (RFC 6026), so an entry left in place keeps the whole ended call alive that long (docs/adr/0159).

setFlagsFromString('--expose-gc');
const gc = runInNewContext('gc') as () => void;

/** A transaction stand-in: the registry uses it only as a key. */
function transaction(): InviteServerTransaction {
  return {} as InviteServerTransaction;
}

/** Tracks a call under `invite`, lets go of our own reference to it, and returns a weak one. */
function trackedCall(registry: CallRegistry, invite: InviteServerTransaction): WeakRef<object> {
  const call = { onCancel: () => undefined, state: new Array(1_000).fill('ended call') };
  registry.trackInvite(invite, call);
  return new WeakRef(call);
}

async function collected(ref: WeakRef<object>): Promise<boolean> {
  // Two rounds with a task between them: a WeakRef target read in this turn stays alive until the turn ends.
  for (let i = 0; i < 2; i++) {
    await nextTurn();
    gc();
  }
  return ref.deref() === undefined;
}

describe('CallRegistry INVITE tracking', () => {
  it('finds the call of a tracked INVITE, and no longer after untrackInvite', () => {
    const registry = new CallRegistry();
    const invite = transaction();
    const call = { onCancel: () => undefined };
    registry.trackInvite(invite, call);
    expect(registry.inviteCall(invite)).toBe(call);
    registry.untrackInvite(invite);
    expect(registry.inviteCall(invite)).toBeUndefined();
    registry.untrackInvite(invite); // idempotent
  });

  it('keeps a call alive for as long as its INVITE transaction lives, until untrackInvite lets it go', async () => {
    const registry = new CallRegistry();
    const lingering = transaction();
    const kept = trackedCall(registry, lingering);
    const released = transaction();
    const letGo = trackedCall(registry, released);
    registry.untrackInvite(released);

    expect(await collected(letGo)).toBe(true);
    // Without the untrack, the transaction (held here, as the stack holds it in its Accepted state) keeps the call.
    expect(await collected(kept)).toBe(false);
    expect(registry.inviteCall(lingering)).toBeDefined();
    expect(registry.inviteCall(released)).toBeUndefined();
  });
});

describe('CallRegistry ended dialogs', () => {
  /** A BYE stand-in in dialog `n`: the registry reads only its Call-ID and tags. */
  function byeIn(n: number): SipRequest {
    return {
      callId: `call-${n}`,
      to: { tag: `ours-${n}` },
      from: { tag: `theirs-${n}` },
    } as unknown as SipRequest;
  }
  const keyOf = (n: number) =>
    dialogKey({ callId: `call-${n}`, localTag: `ours-${n}`, remoteTag: `theirs-${n}` });
  const owner = {
    callUuid: 'c',
    onRequest: () => undefined,
    onAck: () => undefined,
    onStrayResponse: () => undefined,
  };

  it('remembers a dialog that ended for its memory time, then forgets it as later ones end', () => {
    let now = 0;
    const registry = new CallRegistry(() => now, 1_000);
    for (let n = 0; n < 3; n++) registry.addDialog(keyOf(n), owner);
    registry.removeDialog(keyOf(0));
    now = 400;
    registry.removeDialog(keyOf(1));
    expect(registry.recentlyEnded(byeIn(0))).toBe(true);
    expect(registry.recentlyEnded(byeIn(1))).toBe(true);
    expect(registry.recentlyEnded(byeIn(2))).toBe(false);

    now = 1_000;
    registry.removeDialog(keyOf(2));
    expect(registry.recentlyEnded(byeIn(0))).toBe(false);
    expect([1, 2].map((n) => registry.recentlyEnded(byeIn(n)))).toEqual([true, true]);
    // Only a dialog that was in the registry is remembered.
    registry.removeDialog(keyOf(9));
    expect(registry.recentlyEnded(byeIn(9))).toBe(false);
  });

  it('remembers a dialog that ended twice from the later time', () => {
    let now = 0;
    const registry = new CallRegistry(() => now, 1_000);
    registry.addDialog(keyOf(1), owner);
    registry.removeDialog(keyOf(1));
    now = 800;
    registry.addDialog(keyOf(1), owner);
    registry.removeDialog(keyOf(1));
    now = 1_200;
    registry.addDialog(keyOf(2), owner);
    registry.removeDialog(keyOf(2));
    // Its first end is past the memory time; its second is not.
    expect(registry.recentlyEnded(byeIn(1))).toBe(true);
    now = 1_900;
    registry.addDialog(keyOf(3), owner);
    registry.removeDialog(keyOf(3));
    expect(registry.recentlyEnded(byeIn(1))).toBe(false);
    expect(registry.recentlyEnded(byeIn(2))).toBe(true);
  });
});
