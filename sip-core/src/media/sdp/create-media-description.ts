import type { MediaDescription } from './session-description.js';

/** An m= section with the given fields and everything else empty: no attributes, no bandwidths, no crypto. */
export function createMediaDescription(
  fields: Pick<MediaDescription, 'media' | 'port' | 'proto' | 'formats'> & Partial<MediaDescription>,
): MediaDescription {
  return { bandwidths: [], attributes: [], rtpmaps: [], fmtps: [], rtcpMux: false, cryptos: [], ...fields };
}
