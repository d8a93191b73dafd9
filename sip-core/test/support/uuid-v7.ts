/**
 * RFC 9562 §5.7 UUIDv7 — unix_ts_ms (48 bits), ver 7, rand_a (12), var 10, rand_b (62): the shape of the emulator's
 * call_uuid (docs/adr/0172).
 */
export const UUID_V7 = /^[0-9a-f]{8}-[0-9a-f]{4}-7[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;
