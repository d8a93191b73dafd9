import { redactKeyParams } from './session-description.js';

/**
 * An SDP body with the SRTP keys of its a=crypto lines replaced, for traces, logs and reports. The SIP ladder and
 * the PCAP keep the wire bytes; everything a person reads goes through this.
 */
export function redactSdp(text: string): string {
  return text.replace(/^(a=crypto:.*)$/gim, (line) => redactKeyParams(line));
}
