// The packet observers of every far-end media session the emulator runs: how `trunkline emulator --pcap FILE`
// records the RTP and RTCP of a whole session beside its SIP (issue 7, "PCAP export for … any emulator session").
// Far-end media goes live lazily (ADR 0081), so a session is tapped when it goes live, for every observer there is
// then; the packet that woke it is re-delivered to it, so the capture misses nothing of the call. Nothing is
// tapped while nobody observes: the emulator's hot path pays one set-size check per session.

import type { Disposable } from '../../common/disposable.js';
import type { MediaPacketRecord, MediaSession } from '../../media/session/index.js';

export type MediaPacketListener = (record: MediaPacketRecord) => void;

const NOTHING: Disposable = { dispose: () => undefined };

export class MediaTaps {
  readonly #listeners = new Set<MediaPacketListener>();

  /** Observes every session that goes live from now on, until disposed. */
  add(listener: MediaPacketListener): Disposable {
    this.#listeners.add(listener);
    return { dispose: () => this.#listeners.delete(listener) };
  }

  /** Taps a session that goes live for every current observer; an observer disposed later hears no more of it. */
  attach(session: Pick<MediaSession, 'tapPackets'>): Disposable {
    if (this.#listeners.size === 0) return NOTHING;
    const handles = [...this.#listeners].map((listener) =>
      session.tapPackets((record) => {
        if (this.#listeners.has(listener)) listener(record);
      }),
    );
    return { dispose: () => handles.forEach((handle) => handle.dispose()) };
  }
}
