import { afterEach, describe, expect, it } from 'vitest';
import { sipRequest } from '../../support/sip-bytes.js';
import { nextMessage, TransportHarness } from '../../support/transport-harness.js';

const harness = new TransportHarness();
afterEach(() => harness.dispose());

describe('IPv6 loopback', () => {
  it.each(['udp', 'tcp'] as const)(
    'sends and receives over %s on ::1, bracketed or not',
    async (transport) => {
      const a = harness.layer();
      const b = harness.layer();
      await a.listen({ transport, host: '::1' });
      const { local } = await b.listen({ transport, host: '::1' });
      expect(local.address).toBe('::1');
      for (const host of ['::1', '[::1]']) {
        const arriving = nextMessage(b);
        const sent = await a.send(sipRequest({ callId: host }), { transport, host, port: local.port });
        const { context, text } = await arriving;
        expect(text).toContain(`Call-ID: ${host}`);
        expect(context.local).toEqual(local);
        expect(context.remote).toEqual(sent.local);
        expect(sent.remote).toEqual({ address: '::1', port: local.port });
      }
    },
  );

  it('refuses to send IPv6 over UDP without an IPv6 socket', async () => {
    const a = harness.layer();
    await a.listen({ transport: 'udp' });
    await expect(a.send(sipRequest(), { transport: 'udp', host: '::1', port: 5060 })).rejects.toMatchObject({
      code: 'SIP_NO_UDP_SOCKET',
    });
  });
});
