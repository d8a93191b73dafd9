// Waiting, in real time, for something an emulator does over real sockets. With a ManualClock the emulator's timers
// run only when due at the clock's "now": each poll advances the clock by 0, so that work due now (a zero-delay
// timer, a far end answering at once) runs, and nothing later does until the test moves the clock itself.

import type { ManualClock } from '../../src/common/manual-clock.js';

/** Polls `probe` every 2 ms until it returns something other than undefined; throws after 5 s naming `what`. */
export async function pollUntil<T>(
  what: string,
  probe: () => T | undefined,
  clock?: ManualClock,
): Promise<T> {
  const deadline = Date.now() + 5_000;
  for (;;) {
    const found = probe();
    if (found !== undefined) return found;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    clock?.advance(0);
    await new Promise((resolve) => setTimeout(resolve, 2));
  }
}
