// Just enough SIP text handling for tests that script one side of a dialog against a real peer (SIPp,
// baresip) before the real message model exists: split a datagram into start line, headers and body, read
// header values, and build a response that mirrors the request's Via, From, To, Call-ID and CSeq. Not a
// parser: no compact forms beyond the few listed, no comma splitting, no validation.

export interface MinimalSipMessage {
  readonly startLine: string;
  readonly headers: ReadonlyArray<readonly [name: string, value: string]>;
  readonly body: string;
}

const COMPACT: Record<string, string> = {
  v: 'via',
  f: 'from',
  t: 'to',
  i: 'call-id',
  m: 'contact',
  l: 'content-length',
};

export function parseMinimalSip(text: string): MinimalSipMessage {
  const split = text.indexOf('\r\n\r\n');
  const head = split < 0 ? text : text.slice(0, split);
  const body = split < 0 ? '' : text.slice(split + 4);
  const [startLine = '', ...lines] = head.replace(/\r\n[ \t]+/g, ' ').split('\r\n');
  const headers = lines.map((line): [string, string] => {
    const colon = line.indexOf(':');
    const name = line.slice(0, colon).trim().toLowerCase();
    return [COMPACT[name] ?? name, line.slice(colon + 1).trim()];
  });
  return { startLine, headers, body };
}

/** All values of a header, in order; `name` is case-insensitive. */
export function headerValues(message: MinimalSipMessage, name: string): string[] {
  const wanted = name.toLowerCase();
  return message.headers.filter(([n]) => n === wanted).map(([, v]) => v);
}

export function headerValue(message: MinimalSipMessage, name: string): string | undefined {
  return headerValues(message, name)[0];
}

/** The method and Request-URI of a request, or undefined for a response. */
export function requestLine(message: MinimalSipMessage): { method: string; uri: string } | undefined {
  const match = /^([A-Z]+) (\S+) SIP\/2\.0$/.exec(message.startLine);
  return match ? { method: match[1] ?? '', uri: match[2] ?? '' } : undefined;
}

/** The status code of a response, or undefined for a request. */
export function statusCode(message: MinimalSipMessage): number | undefined {
  const match = /^SIP\/2\.0 (\d{3}) /.exec(message.startLine);
  return match ? Number(match[1]) : undefined;
}

/** A response to `request` with its dialog headers mirrored; a To tag is added when missing. */
export function buildResponse(
  request: MinimalSipMessage,
  status: number,
  reason: string,
  extraHeaders: readonly string[] = [],
  body = '',
  toTag = 'trunk1',
): string {
  const to = headerValue(request, 'to') ?? '';
  const lines = [
    `SIP/2.0 ${status} ${reason}`,
    ...headerValues(request, 'via').map((v) => `Via: ${v}`),
    `From: ${headerValue(request, 'from') ?? ''}`,
    `To: ${/;\s*tag=/i.test(to) ? to : `${to};tag=${toTag}`}`,
    `Call-ID: ${headerValue(request, 'call-id') ?? ''}`,
    `CSeq: ${headerValue(request, 'cseq') ?? ''}`,
    ...extraHeaders,
    `Content-Length: ${Buffer.byteLength(body, 'utf8')}`,
    '',
    body,
  ];
  return lines.join('\r\n');
}
