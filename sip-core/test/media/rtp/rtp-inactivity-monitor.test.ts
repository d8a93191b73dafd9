import { describe, expect, it } from 'vitest';
import { RtpInactivityMonitor } from '../../../src/media/rtp/rtp-inactivity-monitor.js';

describe('RtpInactivityMonitor', () => {
  it('signals after the timeout without media, counting from the start', () => {
    const monitor = new RtpInactivityMonitor(60_000, 1000);
    expect(monitor.deadlineMs).toBe(61_000);
    expect(monitor.isInactive(60_999)).toBe(false);
    expect(monitor.isInactive(61_000)).toBe(true);
  });

  it('moves the deadline with every packet, never backwards', () => {
    const monitor = new RtpInactivityMonitor(5000, 0);
    monitor.noteActivity(3000);
    monitor.noteActivity(2000);
    expect(monitor.lastActivityMs).toBe(3000);
    expect(monitor.silentForMs(4500)).toBe(1500);
    expect(monitor.isInactive(7999)).toBe(false);
    expect(monitor.isInactive(8000)).toBe(true);
    monitor.reset(1000);
    expect(monitor.deadlineMs).toBe(6000);
  });

  it('refuses a timeout that is not positive', () => {
    expect(() => new RtpInactivityMonitor(0, 0)).toThrow(RangeError);
  });
});
