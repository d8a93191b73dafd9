import { describe, expect, it } from 'vitest';
import { DtmfError } from '../../../src/media/dtmf/dtmf-error.js';
import {
  eventForSymbol,
  eventsForDigits,
  FLASH_EVENT,
  symbolForEvent,
} from '../../../src/media/dtmf/dtmf-symbols.js';
import { parseTelephoneEvent, serializeTelephoneEvent } from '../../../src/media/dtmf/telephone-event.js';

describe('telephone-event payload (RFC 4733 §2.3)', () => {
  it.each([
    // Bytes as they appear on the wire, and their meaning.
    ['010a0000', { event: 1, end: false, reserved: false, volume: 10, duration: 0 }],
    ['010a0190', { event: 1, end: false, reserved: false, volume: 10, duration: 400 }],
    ['0b8a0320', { event: 11, end: true, reserved: false, volume: 10, duration: 800 }],
    ['108affff', { event: 16, end: true, reserved: false, volume: 10, duration: 65535 }],
    ['0f3f0001', { event: 15, end: false, reserved: false, volume: 63, duration: 1 }],
    ['00800000', { event: 0, end: true, reserved: false, volume: 0, duration: 0 }],
  ])('%s round-trips', (hex, event) => {
    expect(parseTelephoneEvent(Buffer.from(hex, 'hex'))).toEqual(event);
    expect(Buffer.from(serializeTelephoneEvent(event)).toString('hex')).toBe(hex);
  });

  it('reads the R bit but never sends it unless asked', () => {
    expect(parseTelephoneEvent(Buffer.from('05ca00a0', 'hex'))).toEqual({
      event: 5,
      end: true,
      reserved: true,
      volume: 10,
      duration: 160,
    });
    const fields = { event: 5, end: true, volume: 10, duration: 160 };
    expect(Buffer.from(serializeTelephoneEvent(fields)).toString('hex')).toBe('058a00a0');
    expect(Buffer.from(serializeTelephoneEvent({ ...fields, reserved: true })).toString('hex')).toBe(
      '05ca00a0',
    );
  });

  it('reads the first block of a longer payload', () => {
    expect(parseTelephoneEvent(Buffer.from('030a0050ffffffff', 'hex')).event).toBe(3);
  });

  it.each([0, 1, 3])('rejects a payload of %i octets with a DtmfError', (length) => {
    expect(() => parseTelephoneEvent(new Uint8Array(length))).toThrowError(
      expect.objectContaining({ code: 'DTMF_PAYLOAD_TOO_SHORT' }) as Error,
    );
  });

  it.each([
    { event: 256, end: false, volume: 0, duration: 0 },
    { event: 1, end: false, volume: 64, duration: 0 },
    { event: 1, end: false, volume: 10, duration: 65536 },
    { event: 1, end: false, volume: 10, duration: -1 },
    { event: 1.5, end: false, volume: 10, duration: 0 },
  ])('refuses to serialize out-of-range fields %o', (event) => {
    expect(() => serializeTelephoneEvent(event)).toThrow(DtmfError);
  });
});

describe('DTMF symbols (RFC 4733 §3.2)', () => {
  it('maps events 0-16 to 0-9 * # A-D and ! (flash)', () => {
    expect(Array.from({ length: 17 }, (_, e) => symbolForEvent(e)).join('')).toBe('0123456789*#ABCD!');
    expect(symbolForEvent(FLASH_EVENT)).toBe('!');
    expect(symbolForEvent(17)).toBeUndefined();
  });

  it('accepts lowercase a-d and names the first invalid character', () => {
    expect(eventForSymbol('d')).toBe(15);
    expect(eventsForDigits('1a#!')).toEqual([1, 12, 11, 16]);
    expect(() => eventsForDigits('12x4')).toThrowError(/'x' at position 3 is not a DTMF symbol/);
  });
});
