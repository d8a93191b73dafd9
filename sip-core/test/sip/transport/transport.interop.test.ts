// Bytes really cross with real SIP stacks: SIPp places calls to our UDP and TCP listeners, baresip calls our TLS
// listener and answers our TLS client. A test-only responder answers with hand-written bytes; what the peers
// observed (SIPp's exit status, baresip's events) is asserted, not only what we logged.

import { X509Certificate } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { SipTlsVerificationError } from '../../../src/sip/transport/transport-errors.js';
import type { ReceivedMessageContext } from '../../../src/sip/transport/transport-types.js';
import type { SipTransportLayer } from '../../../src/sip/transport/sip-transport-layer.js';
import { BaresipControl, writeBaresipConfig } from '../../support/baresip.js';
import { freePorts } from '../../support/free-port.js';
import { requirePeer } from '../../support/peer-binary.js';
import { PeerProcesses } from '../../support/peer-process.js';
import { createTestPki, type TestCa, type TestPki } from '../../support/test-pki.js';
import { methodOf, respondTo } from '../../support/test-responder.js';
import { nextMessage, TransportHarness } from '../../support/transport-harness.js';

const harness = new TransportHarness();
const peers = new PeerProcesses();
const controls: BaresipControl[] = [];
let workDir: string;
let pki: TestPki;
let ca: TestCa;

beforeAll(() => {
  workDir = mkdtempSync(join(tmpdir(), 'trunkline-transport-interop-'));
  pki = createTestPki();
  ca = pki.createCa('Trunkline Interop CA');
});
afterEach(async () => {
  for (const control of controls.splice(0)) control.close();
  await peers.stopAll();
  await harness.dispose();
});
afterAll(() => {
  pki.dispose();
  rmSync(workDir, { recursive: true, force: true });
});

interface Received {
  readonly text: string;
  readonly bytes: Buffer;
  readonly context: ReceivedMessageContext;
}

/**
 * Answers like a UAS that accepts every call: 100 and 200 to INVITE, 200 to BYE and OPTIONS, nothing to ACK.
 * Responses go back the way RFC 3261 §18.2.2 says: over the connection, or to the source address from the socket
 * the request arrived on.
 */
function acceptingResponder(layer: SipTransportLayer, finalStatus = '200 OK'): Received[] {
  const seen: Received[] = [];
  layer.on('message', (bytes, context) => {
    const text = bytes.toString('utf8');
    seen.push({ text, bytes, context });
    const method = methodOf(text);
    const responses =
      method === 'INVITE'
        ? [
            respondTo(text, '100 Trying'),
            respondTo(text, finalStatus, { toTag: 'tl-1', extraHeaders: ['Contact: <sip:uas@127.0.0.1>'] }),
          ]
        : method === 'BYE' || method === 'OPTIONS'
          ? [respondTo(text, '200 OK')]
          : [];
    for (const response of responses) {
      const back = context.connectionId ?? {
        transport: 'udp' as const,
        host: context.remote.address,
        port: context.remote.port,
        local: context.local,
      };
      void layer.send(response, back);
    }
  });
  return seen;
}

/** The body of a framed message, checked against its own Content-Length (counted in bytes). */
function bodyOf(message: Received): Buffer {
  const end = message.bytes.indexOf('\r\n\r\n') + 4;
  const length = Number(/\r\nContent-Length:\s*(\d+)/i.exec(message.text)?.[1]);
  expect(message.bytes.length - end).toBe(length);
  return message.bytes.subarray(end);
}

describe.each(['udp', 'tcp'] as const)('SIPp -sn uac against our %s listener', (transport) => {
  it('completes a call: INVITE, 100, 200, ACK, BYE, 200 cross in both directions', async () => {
    if (!requirePeer('sipp')) return;
    const layer = harness.layer();
    const { local } = await layer.listen({ transport });
    const seen = acceptingResponder(layer);
    const sippPort = await freePorts();
    const sipp = peers.start(
      'sipp',
      [
        '-sn',
        'uac',
        `127.0.0.1:${local.port}`,
        '-t',
        transport === 'udp' ? 'u1' : 't1',
        '-i',
        '127.0.0.1',
        '-p',
        String(sippPort),
        '-m',
        '1',
        '-d',
        '200',
        '-nostdin',
        '-timeout',
        '30s',
        '-timeout_error',
      ],
      { cwd: workDir },
    );

    const code = await sipp.exited;
    expect(code, sipp.output()).toBe(0);
    expect(seen.map((m) => methodOf(m.text))).toEqual(['INVITE', 'ACK', 'BYE']);
    const [invite, ack, bye] = seen;
    expect(invite?.text).toMatch(
      new RegExp(`^INVITE sip:service@127\\.0\\.0\\.1:${local.port} SIP/2\\.0\\r\\n`),
    );
    expect(invite?.text).toContain(`Via: SIP/2.0/${transport.toUpperCase()} 127.0.0.1:${sippPort}`);
    expect(bodyOf(invite).toString('latin1')).toMatch(/^v=0\r\n[\s\S]*m=audio \d+ RTP\/AVP 0\r\n/);
    expect(invite?.context).toMatchObject({ transport, local, remote: { address: '127.0.0.1' } });
    if (transport === 'tcp') {
      // One connection carries the whole call, and our responses went back over it.
      expect(new Set(seen.map((m) => m.context.connectionId)).size).toBe(1);
      expect(invite?.context.connectionId).toBeDefined();
    } else {
      expect(invite?.context.remote.port).toBe(sippPort);
    }
    expect(ack?.text).toContain('To: service <sip:service@127.0.0.1');
    expect(ack?.text).toContain(';tag=tl-1');
    expect(bye?.text).toContain('CSeq: 2 BYE');
  });
});

describe('baresip over TLS', () => {
  async function startBaresip(accountParams = '') {
    const sipPort = await freePorts(2);
    const ctrlPort = await freePorts();
    const dir = join(workDir, `baresip-${sipPort}`);
    const identity = ca.issue('127.0.0.1', ['IP:127.0.0.1']);
    writeBaresipConfig({ dir, sipPort, ctrlPort, ...identity, ca: ca.cert, accountParams });
    const baresip = peers.start('baresip', ['-f', dir]);
    const control = await BaresipControl.connect(ctrlPort);
    controls.push(control);
    return { baresip, control, tlsPort: sipPort + 1, identity };
  }

  it('calls our TLS listener: INVITE arrives with its client certificate, and baresip sees our 486', async () => {
    if (!requirePeer('baresip')) return;
    const server = ca.issue('127.0.0.1', ['IP:127.0.0.1']);
    const layer = harness.layer();
    const { local } = await layer.listen({
      transport: 'tls',
      tls: { ...server, requestClientCertificate: true },
    });
    const seen = acceptingResponder(layer, '486 Busy Here');
    const { baresip, control, identity } = await startBaresip();
    const ack = nextMessage(layer, 'ACK ');

    control.command('dial', `sip:bob@127.0.0.1:${local.port};transport=tls`);
    const closed = await control.waitForEvent('CALL_CLOSED');
    expect(closed.param, baresip.output()).toBe('486 Busy Here');
    await ack;

    const [invite] = seen;
    expect(invite?.text).toMatch(/^INVITE sip:bob@127\.0\.0\.1:\d+;transport=tls SIP\/2\.0\r\n/);
    expect(invite?.text).toMatch(/\r\nVia: SIP\/2\.0\/TLS 127\.0\.0\.1:\d+;/);
    expect(bodyOf(invite).toString('latin1')).toContain('m=audio');
    expect(invite?.context.transport).toBe('tls');
    expect(invite?.context.tlsPeerCertificate?.fingerprintSha256).toBe(
      new X509Certificate(identity.cert).fingerprint256,
    );
    expect(new Set(seen.map((m) => m.context.connectionId)).size).toBe(1);
  });

  it('answers our verifying TLS client, and an untrusted certificate is refused with a typed error', async () => {
    if (!requirePeer('baresip')) return;
    const { tlsPort } = await startBaresip(';answermode=auto');
    const options = Buffer.from(
      [
        `OPTIONS sip:tester@127.0.0.1:${tlsPort};transport=tls SIP/2.0`,
        'Via: SIP/2.0/TLS 127.0.0.1:5061;branch=z9hG4bK-interop-1;rport',
        'Max-Forwards: 70',
        'From: <sip:trunkline@127.0.0.1>;tag=tl-opt',
        `To: <sip:tester@127.0.0.1:${tlsPort}>`,
        'Call-ID: options-1@trunkline.test',
        'CSeq: 1 OPTIONS',
        'Content-Length: 0',
        '',
        '',
      ].join('\r\n'),
    );

    const untrusting = harness.layer();
    const refusal = await untrusting
      .send(options, { transport: 'tls', host: '127.0.0.1', port: tlsPort })
      .catch((error: unknown) => error);
    expect(refusal).toBeInstanceOf(SipTlsVerificationError);
    expect((refusal as SipTlsVerificationError).reason).toBe('unknown-ca');

    const client = harness.layer({ tls: { ca: ca.cert } });
    const response = nextMessage(client);
    const sent = await client.send(options, { transport: 'tls', host: '127.0.0.1', port: tlsPort });
    const answer = await response;
    expect(answer.text).toMatch(/^SIP\/2\.0 200 OK\r\n/);
    expect(answer.text).toContain('Call-ID: options-1@trunkline.test');
    expect(answer.context.connectionId).toBe(sent.connectionId);
    expect(answer.context.tlsPeerCertificate?.issuer).toBe('CN=Trunkline Interop CA');
  });
});
