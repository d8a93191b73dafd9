// The call_uuid of every CDR the emulator writes: a UUID in creation order (RFC 9562 §5.7, UUIDv7), not a random
// one (docs/adr/0172). The store keeps call_uuid UNIQUE, so each row also goes into that index's B-tree; a random
// key lands on a random leaf page, and every leaf a commit touches is a page written to the WAL and later
// checkpointed. Keys that grow with time all land on the rightmost leaf. Zentrunk's own call_uuid has the same
// shape (8-4-4-4-12 lowercase hex, BEHAVIOUR.md §14.6); its version is not known, and nothing reads one.

import { randomUUID } from 'node:crypto';

/** rand_a (12 bits) counts calls within one millisecond (RFC 9562 §6.2, Method 1). */
const COUNTER_MAX = 0xfff;
/** A new millisecond starts its counter at a random value below half, leaving room to count up. */
const COUNTER_START_MASK = 0x7ff;
/** unix_ts_ms is 48 bits. */
const MAX_UNIX_MS = 2 ** 48 - 1;

// One sequence per process, like randomUUID's: UUIDs made in one process increase even across emulators whose
// clocks differ (a test's ManualClock beside the system clock), because a timestamp never goes back.
let lastMs = -1;
let counter = 0;

/**
 * A new call_uuid for a call that begins at `wallMs` (the emulator's `clock.wallNow()`). Each value is greater
 * than the one before in this process: within one millisecond the counter in rand_a goes up; when it runs out
 * (after 2,048 to 4,096 calls in one millisecond) the timestamp moves a millisecond ahead of the clock, and when
 * the clock steps back the last timestamp is kept. 62 random bits (rand_b) keep values from different processes
 * apart.
 */
export function newCallUuid(wallMs: number): string {
  // A v4 UUID's random hex supplies the random parts: xxxxxxxx-xxxx-4aaa-Vbbb-bbbbbbbbbbbb, where V is the
  // variant nibble (8–b) that v7 uses too.
  const random = randomUUID();
  // A clock that reads NaN (a bug elsewhere) must not turn the timestamp and every later one into "NaN".
  const now = Number.isFinite(wallMs) ? Math.floor(wallMs) : 0;
  let ms = Math.min(Math.max(now, 0, lastMs), MAX_UNIX_MS);
  const counterSpent = ms === lastMs && counter === COUNTER_MAX;
  if (counterSpent) ms = Math.min(lastMs + 1, MAX_UNIX_MS);
  counter =
    ms > lastMs || counterSpent
      ? Number.parseInt(random.slice(15, 18), 16) & COUNTER_START_MASK
      : counter + 1;
  lastMs = ms;
  const time = ms.toString(16).padStart(12, '0');
  return `${time.slice(0, 8)}-${time.slice(8)}-7${counter.toString(16).padStart(3, '0')}${random.slice(18)}`;
}
