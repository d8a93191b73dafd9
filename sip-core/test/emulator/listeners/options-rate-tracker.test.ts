import { describe, expect, it } from 'vitest';
import { ManualClock } from '../../../src/common/manual-clock.js';
import type { EmulatorEventSink } from '../../../src/emulator/emulator-events.js';
import { OptionsRateTracker } from '../../../src/emulator/listeners/options-rate-tracker.js';
import { policySettings } from '../../../src/policy/settings/policy-settings.js';

const TRUNK = '10000000000002.zt.plivo.com';

function tracker() {
  const clock = new ManualClock();
  const events: { state: string }[] = [];
  const sink: EmulatorEventSink = {
    emit: (_name, payload) => {
      events.push(payload as { state: string });
      return true;
    },
  };
  return { clock, events, rates: new OptionsRateTracker(clock, policySettings({}), sink) };
}

const from = (index: number) => ({
  address: `10.${(index >> 16) & 255}.${(index >> 8) & 255}.${index & 255}`,
  port: 5060,
});

describe('OptionsRateTracker', () => {
  it('warns once when a source pings faster than one per 10 s', () => {
    const { clock, events, rates } = tracker();
    expect(rates.ping(from(1), TRUNK, null).level).toBe('ok');
    clock.advance(2_000);
    expect(rates.ping(from(1), TRUNK, null).level).toBe('warn');
    clock.advance(2_000);
    expect(rates.ping(from(1), TRUNK, null).level).toBe('warn');
    expect(events.map((e) => e.state)).toEqual(['warning']);
  });

  it('forgets the sources pinged longest ago when 10,000 others arrive, and keeps one that pinged again', () => {
    const { clock, rates } = tracker();
    for (let i = 0; i < 10_000; i++) rates.ping(from(i), TRUNK, null);
    rates.ping(from(0), TRUNK, null); // used again: now the most recent
    rates.ping(from(10_000), TRUNK, null); // pushes out from(1)
    rates.ping(from(10_001), TRUNK, null); // and from(2)
    clock.advance(1_000);
    expect(rates.ping(from(0), TRUNK, null).level).toBe('warn'); // remembered: 1 s after its last ping
    expect(rates.ping(from(3), TRUNK, null).level).toBe('warn');
    expect(rates.ping(from(1), TRUNK, null).level).toBe('ok'); // forgotten: a first ping again
    expect(rates.ping(from(2), TRUNK, null).level).toBe('ok');
  });
});
