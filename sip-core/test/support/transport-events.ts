import type { RtpTransport, RtpTransportEvents } from '../../src/media/rtp/rtp-transport.js';

type Source = Pick<RtpTransport, 'on'>;

/** Resolves with the arguments of the next `event` of an RTP transport; the subscription ends either way. */
export function nextEvent<K extends keyof RtpTransportEvents>(
  source: Source,
  event: K,
): Promise<Parameters<RtpTransportEvents[K]>> {
  return new Promise((resolve) => {
    const subscription = source.on(event, ((...args: Parameters<RtpTransportEvents[K]>) => {
      subscription.dispose();
      resolve(args);
    }) as RtpTransportEvents[K]);
  });
}

/** Collects the first argument of every `event` (the datagram, or the error). */
export function collect<K extends keyof RtpTransportEvents>(
  source: Source,
  event: K,
): Array<Parameters<RtpTransportEvents[K]>[0]> {
  const seen: Array<Parameters<RtpTransportEvents[K]>[0]> = [];
  source.on(event, (first: Parameters<RtpTransportEvents[K]>[0]) => seen.push(first));
  return seen;
}
