import { describe, expect, it } from 'vitest';
import { PacketLossConcealer } from '../../../src/media/jitter/packet-loss-concealer.js';
import { rmsDbfs } from '../../../src/media/tone/level-meter.js';
import { ToneGenerator } from '../../../src/media/tone/tone-generator.js';

describe('PacketLossConcealer', () => {
  it('continues a voiced (periodic) signal through a lost frame, then fades it to silence by 60 ms', () => {
    const generator = new ToneGenerator({ tones: [{ frequencyHz: 200, levelDbfs: -10 }] });
    const plc = new PacketLossConcealer();
    for (let i = 0; i < 3; i++) plc.good(generator.next());
    const truth = generator.next();
    const concealed = new Int16Array(160);
    expect(plc.conceal(concealed)).toBe(true);
    // The first 10 ms are a repetition of the last 5 ms period: close to what the lost frame held.
    let error = 0;
    for (let i = 0; i < 80; i++) error = Math.max(error, Math.abs((concealed[i] ?? 0) - (truth[i] ?? 0)));
    expect(error).toBeLessThan(500);
    const second = new Int16Array(160);
    const third = new Int16Array(160);
    expect(plc.conceal(second)).toBe(true);
    expect(plc.conceal(third)).toBe(true);
    expect(rmsDbfs(second)).toBeLessThan(rmsDbfs(concealed));
    expect(rmsDbfs(third)).toBeLessThan(rmsDbfs(second));
    const fourth = new Int16Array(160).fill(1);
    expect(plc.conceal(fourth)).toBe(false);
    expect(fourth.every((s) => s === 0)).toBe(true);
  });

  it('cross-fades the first good frame after a loss instead of jumping', () => {
    const generator = new ToneGenerator({ tones: [{ frequencyHz: 250, levelDbfs: -6 }] });
    const plc = new PacketLossConcealer();
    for (let i = 0; i < 3; i++) plc.good(generator.next());
    plc.conceal(new Int16Array(160));
    expect(plc.concealing).toBe(true);
    const resumed = Int16Array.from(generator.next());
    const original = Int16Array.from(resumed);
    plc.good(resumed);
    expect(plc.concealing).toBe(false);
    expect(resumed.subarray(0, 40)).not.toEqual(original.subarray(0, 40));
    expect(resumed.subarray(40)).toEqual(original.subarray(40));
  });

  it('conceals nothing without enough history', () => {
    const plc = new PacketLossConcealer();
    plc.good(new Int16Array(160).fill(1000));
    const out = new Int16Array(160);
    expect(plc.conceal(out)).toBe(false);
    plc.reset();
    expect(plc.concealing).toBe(false);
  });
});
