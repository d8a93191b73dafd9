// Repairs of a call capture that a dead process left unfinished (pure: bytes and sizes in, decisions out).
//
// WAV (RIFF, canonical 44-byte PCM header as media/wav writes it): while recording, the two size fields carry the
// "unknown size" marker; the repair writes the sizes the file really has, cut to whole 16-bit samples.
//
//   offset  0  "RIFF"           offset 36  "data"
//   offset  4  RIFF size        offset 40  data size (bytes)
//   offset  8  "WAVE"           offset 44  samples, little-endian int16
//   offset 12  "fmt " …
//
// pcapng (the diagnostics encoder's output): a sequence of blocks, each framed by its total length at both ends,
// so a file cut mid-block is repaired by keeping the complete blocks before the cut.
//
//   0               4               8                       total-4         total
//   ├ block type ───┼ total length ─┼ body …                ┼ total length ─┤
//   The first block is the Section Header Block (type 0x0A0D0D0A); its byte-order magic 0x1A2B3C4D at offset 8
//   says whether the lengths are little- or big-endian (pcapng draft §4.1).

import { WAV_HEADER_BYTES } from '../../sip-core/src/index.js';

const RIFF = 0x46464952; // "RIFF" read little-endian
const WAVE = 0x45564157; // "WAVE"
const DATA_SIZE_OFFSET = 40;
const RIFF_SIZE_OFFSET = 4;

/** What a cut WAV needs: the length to truncate to and the data size to write, or why it cannot be repaired. */
export type WavRepair =
  | { readonly ok: true; readonly fileBytes: number; readonly dataBytes: number }
  | { readonly ok: false; readonly reason: string };

/** Plans the repair of a WAV whose first `header` bytes are given and whose file is `fileBytes` long. */
export function planWavRepair(header: Uint8Array, fileBytes: number): WavRepair {
  if (fileBytes < WAV_HEADER_BYTES || header.length < WAV_HEADER_BYTES) {
    return { ok: false, reason: 'the audio file ends before its header' };
  }
  const view = new DataView(header.buffer, header.byteOffset, header.byteLength);
  if (view.getUint32(0, true) !== RIFF || view.getUint32(8, true) !== WAVE) {
    return { ok: false, reason: 'the audio file is not a WAV file' };
  }
  const dataBytes = Math.floor((fileBytes - WAV_HEADER_BYTES) / 2) * 2;
  return { ok: true, fileBytes: WAV_HEADER_BYTES + dataBytes, dataBytes };
}

/** The two size fields of a repaired header: where to write them and what. */
export function wavSizeFields(dataBytes: number): ReadonlyArray<{ offset: number; value: Buffer }> {
  const riff = Buffer.alloc(4);
  riff.writeUInt32LE(WAV_HEADER_BYTES - 8 + dataBytes);
  const data = Buffer.alloc(4);
  data.writeUInt32LE(dataBytes);
  return [
    { offset: RIFF_SIZE_OFFSET, value: riff },
    { offset: DATA_SIZE_OFFSET, value: data },
  ];
}

const SECTION_HEADER_BLOCK = 0x0a0d0d0a;
const BYTE_ORDER_MAGIC = 0x1a2b3c4d;
const MIN_BLOCK_BYTES = 12;

/**
 * The length of the complete pcapng blocks at the start of `bytes` (0 when not even the section header is whole
 * or the file is not pcapng).
 */
export function completePcapngLength(bytes: Uint8Array): number {
  if (bytes.length < MIN_BLOCK_BYTES + 4) return 0;
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  if (view.getUint32(0, true) !== SECTION_HEADER_BLOCK) return 0;
  let littleEndian: boolean;
  if (view.getUint32(8, true) === BYTE_ORDER_MAGIC) littleEndian = true;
  else if (view.getUint32(8, false) === BYTE_ORDER_MAGIC) littleEndian = false;
  else return 0;
  let offset = 0;
  while (offset + MIN_BLOCK_BYTES <= bytes.length) {
    const total = view.getUint32(offset + 4, littleEndian);
    if (total < MIN_BLOCK_BYTES || total % 4 !== 0 || offset + total > bytes.length) break;
    if (view.getUint32(offset + total - 4, littleEndian) !== total) break;
    offset += total;
  }
  return offset;
}
