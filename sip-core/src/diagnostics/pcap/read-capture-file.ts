// The file adapter of the capture reader: reads a capture in fixed-size chunks and yields its packets as they
// complete, so that memory stays bounded by the chunk and one block whatever the file's size.

import { open } from 'node:fs/promises';
import { describeError } from '../../common/errors.js';
import { CaptureFileParser, type CapturedPacket } from './capture-file-parser.js';
import { PcapError } from './pcap-error.js';

const DEFAULT_CHUNK_BYTES = 256 * 1024;

/**
 * Every packet of the capture at `path`, in file order. Fails with a `PcapError` only. Pass a `parser` to read its
 * `format` afterwards.
 */
export async function* readCaptureFile(
  path: string,
  options: { chunkBytes?: number; parser?: CaptureFileParser } = {},
): AsyncGenerator<CapturedPacket> {
  let handle;
  try {
    handle = await open(path, 'r');
  } catch (error) {
    throw new PcapError('PCAP_UNREADABLE', `Cannot open the capture ${path}: ${describeError(error)}.`, {
      cause: error,
    });
  }
  try {
    const parser = options.parser ?? new CaptureFileParser();
    const buffer = new Uint8Array(options.chunkBytes ?? DEFAULT_CHUNK_BYTES);
    for (;;) {
      let bytesRead: number;
      try {
        ({ bytesRead } = await handle.read(buffer, 0, buffer.length, null));
      } catch (error) {
        throw new PcapError('PCAP_UNREADABLE', `Cannot read the capture ${path}: ${describeError(error)}.`, {
          cause: error,
        });
      }
      if (bytesRead === 0) break;
      yield* parser.push(buffer.subarray(0, bytesRead));
    }
    parser.end();
  } finally {
    await handle.close();
  }
}

/** Every packet of a capture held in memory (tests, small uploads). */
export function readCaptureBytes(bytes: Uint8Array, parser = new CaptureFileParser()): CapturedPacket[] {
  const packets = parser.push(bytes);
  parser.end();
  return packets;
}
