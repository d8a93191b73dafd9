import type { NegotiatedMedia } from '../../src/media/offer-answer/negotiated-media.js';
import type { SrtpMasterKey } from '../../src/media/srtp/srtp-master-key.js';
import { SRTP_PROFILES } from '../../src/media/srtp/srtp-profile.js';

// What the media benchmarks' echo sessions run with, as an SDP offer/answer would have given it: PCMU at 20 ms,
// sendrecv, SDES-SRTP AES_CM_128_HMAC_SHA1_80, RTCP on the next port unless the far end shares one.

export const ECHO_SRTP_PROFILE = SRTP_PROFILES.AES_CM_128_HMAC_SHA1_80;

export function echoNegotiatedMedia(
  remote: { readonly address: string; readonly port: number },
  keys: { readonly sendKey: SrtpMasterKey; readonly receiveKey: SrtpMasterKey },
): NegotiatedMedia {
  return {
    mediaIndex: 0,
    remoteAddress: remote.address,
    remoteRtpPort: remote.port,
    remoteRtcpAddress: remote.address,
    remoteRtcpPort: remote.port,
    rtcpMux: false,
    codec: { payloadType: 0, encodingName: 'PCMU', clockRateHz: 8000 },
    telephoneEvent: undefined,
    ptimeMs: 20,
    direction: 'sendrecv',
    srtp: {
      profile: ECHO_SRTP_PROFILE.name,
      sendKey: keys.sendKey,
      receiveKey: keys.receiveKey,
      replayWindowSize: undefined,
      receiveKeyLifetimePackets: undefined,
    },
  };
}
