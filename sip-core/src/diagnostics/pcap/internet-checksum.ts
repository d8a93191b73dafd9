// The Internet checksum of RFC 1071: the ones' complement of the ones' complement sum of 16-bit words. IPv4 headers
// (RFC 791) and UDP (RFC 768, and RFC 8200 §8.1 for IPv6, where it is mandatory) use it.

/** Adds `bytes` as big-endian 16-bit words to `sum` (an odd last byte is padded with zero). Not yet folded. */
export function addChecksumWords(sum: number, bytes: Uint8Array): number {
  let total = sum;
  const even = bytes.length & ~1;
  for (let i = 0; i < even; i += 2) total += (bytes[i] << 8) | bytes[i + 1];
  if (even < bytes.length) total += bytes[even] << 8;
  return total;
}

/** Folds the carries into 16 bits and complements: the value to write into the checksum field. */
export function finishChecksum(sum: number): number {
  let folded = sum;
  while (folded > 0xffff) folded = (folded & 0xffff) + Math.floor(folded / 0x10000);
  return ~folded & 0xffff;
}

export function internetChecksum(bytes: Uint8Array): number {
  return finishChecksum(addChecksumWords(0, bytes));
}
