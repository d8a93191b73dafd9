// `trunkline explain file.pcap` and the UI's "open capture": the analysis of a whole file, streamed.

import { CaptureAnalyzer, type CaptureAnalysis } from './capture-analyzer.js';
import { CaptureFileParser } from './capture-file-parser.js';
import { readCaptureBytes, readCaptureFile } from './read-capture-file.js';

/** Reads and analyses the capture at `path`. Fails with a `PcapError` only. */
export async function analyzeCaptureFile(path: string): Promise<CaptureAnalysis> {
  const analyzer = new CaptureAnalyzer();
  const parser = new CaptureFileParser();
  for await (const packet of readCaptureFile(path, { parser })) analyzer.push(packet);
  analyzer.setFormat(parser.format);
  return analyzer.finish();
}

/** The same for a capture in memory. */
export function analyzeCaptureBytes(bytes: Uint8Array): CaptureAnalysis {
  const analyzer = new CaptureAnalyzer();
  const parser = new CaptureFileParser();
  for (const packet of readCaptureBytes(bytes, parser)) analyzer.push(packet);
  analyzer.setFormat(parser.format);
  return analyzer.finish();
}
