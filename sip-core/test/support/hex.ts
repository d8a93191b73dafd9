/** Bytes from a hex string; spaces, newlines and `0x`/commas (as in C arrays) are ignored. */
export function hex(text: string): Buffer {
  const clean = text.replace(/0x/gi, '').replace(/[\s,]/g, '');
  if (clean.length % 2 !== 0 || /[^0-9a-f]/i.test(clean)) throw new Error(`not a hex string: ${text}`);
  return Buffer.from(clean, 'hex');
}

/** Uppercase hex of bytes, as the RFC 3711 fixture writes them. */
export function toHex(bytes: Uint8Array): string {
  return Buffer.from(bytes).toString('hex').toUpperCase();
}
