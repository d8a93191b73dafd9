// MediaTaps: sessions are tapped for the observers there are when they go live; none, nothing is tapped; an
// observer disposed hears no more, also of sessions tapped before.

import { describe, expect, it } from 'vitest';
import type { MediaPacketRecord } from '../../../src/media/session/index.js';
import { MediaTaps } from '../../../src/emulator/media/media-taps.js';

/** A session stand-in that hands every tap listener the records a test pushes. */
function fakeSession() {
  const listeners = new Set<(record: MediaPacketRecord) => void>();
  return {
    taps: () => listeners.size,
    push: (record: MediaPacketRecord) => listeners.forEach((listener) => listener(record)),
    tapPackets(listener: (record: MediaPacketRecord) => void) {
      listeners.add(listener);
      return { dispose: () => listeners.delete(listener) };
    },
  };
}

const RECORD = { kind: 'rtp' } as unknown as MediaPacketRecord;

describe('MediaTaps', () => {
  it('taps nothing while nobody observes', () => {
    const session = fakeSession();
    new MediaTaps().attach(session);
    expect(session.taps()).toBe(0);
  });

  it('hands each observer the packets of a session that went live after it was added, until disposed', () => {
    const taps = new MediaTaps();
    const heard: string[] = [];
    const first = taps.add(() => heard.push('first'));
    taps.add(() => heard.push('second'));
    const session = fakeSession();
    const attached = taps.attach(session);
    session.push(RECORD);
    first.dispose();
    session.push(RECORD);
    expect(heard).toEqual(['first', 'second', 'second']);
    attached.dispose();
    expect(session.taps()).toBe(0);
  });
});
