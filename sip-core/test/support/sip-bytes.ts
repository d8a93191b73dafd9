// Hand-written SIP messages for transport tests. The transport never parses SIP, so these only need to be
// well-framed; they are kept realistic so that captures and peers make sense of them.

/** A request with a correct Content-Length (in bytes) for `body`. */
export function sipRequest(
  options: { method?: string; callId?: string; body?: string; extraHeaders?: string[] } = {},
): Buffer {
  const method = options.method ?? 'OPTIONS';
  const body = Buffer.from(options.body ?? '', 'utf8');
  const head = [
    `${method} sip:alice@127.0.0.1 SIP/2.0`,
    'Via: SIP/2.0/TCP 127.0.0.1:5999;branch=z9hG4bK-test-1',
    'Max-Forwards: 70',
    'From: <sip:bob@127.0.0.1>;tag=1',
    'To: <sip:alice@127.0.0.1>',
    `Call-ID: ${options.callId ?? 'call-1@test'}`,
    `CSeq: 1 ${method}`,
    ...(options.extraHeaders ?? []),
    `Content-Length: ${body.length}`,
    '',
    '',
  ].join('\r\n');
  return Buffer.concat([Buffer.from(head, 'utf8'), body]);
}

/** The same request with a header section of `headers` lines and no Content-Length added. */
export function rawMessage(headers: string[], body = ''): Buffer {
  return Buffer.from(['OPTIONS sip:a@b SIP/2.0', ...headers, '', ''].join('\r\n') + body, 'utf8');
}

/** A request of exactly `sizeBytes` bytes (padded with a header, so Content-Length stays 0). */
export function sipRequestOfSize(sizeBytes: number): Buffer {
  const overhead = sipRequest({ extraHeaders: ['X-Pad: '] }).length;
  return sipRequest({ extraHeaders: [`X-Pad: ${'x'.repeat(sizeBytes - overhead)}`] });
}
