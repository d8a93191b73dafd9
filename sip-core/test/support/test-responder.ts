// Hand-written responses for interop tests, until the message model exists: copy the headers RFC 3261 §8.2.6.2
// says a response copies from its request. Test-only; line-based and deliberately naive.

/** The header lines of `request` whose name is `name` (case-insensitive; compact forms not handled). */
function headerLines(request: string, name: string): string[] {
  const head = request.slice(0, request.indexOf('\r\n\r\n'));
  return head.split('\r\n').filter((line) => line.toLowerCase().startsWith(`${name.toLowerCase()}:`));
}

/** The method of a request's start line, e.g. `INVITE`. */
export function methodOf(message: string): string {
  return message.slice(0, message.indexOf(' '));
}

/** A response to `request` with `status` (e.g. `200 OK`), a To tag, and `extraHeaders`. */
export function respondTo(
  request: string,
  status: string,
  options: { toTag?: string; extraHeaders?: string[] } = {},
): Buffer {
  const to = headerLines(request, 'To')[0] ?? 'To: <sip:unknown@invalid>';
  const tagged = options.toTag !== undefined && !/;tag=/i.test(to) ? `${to};tag=${options.toTag}` : to;
  const lines = [
    `SIP/2.0 ${status}`,
    ...headerLines(request, 'Via'),
    ...headerLines(request, 'From'),
    tagged,
    ...headerLines(request, 'Call-ID'),
    ...headerLines(request, 'CSeq'),
    ...(options.extraHeaders ?? []),
    'Content-Length: 0',
    '',
    '',
  ];
  return Buffer.from(lines.join('\r\n'), 'utf8');
}
