// What a NOTIFY for a REFER says (RFC 3515 §2.4.5): the body is a message/sipfrag whose start line is the status
// of the referred INVITE ("SIP/2.0 180 Ringing", "SIP/2.0 200 OK"), and Subscription-State tells whether more
// NOTIFYs will follow (RFC 6665 §4.1.3). Zentrunk sends 100, 180, then 200 and BYE, or a 4xx/5xx (§7).

export interface SipfragStatus {
  readonly statusCode: number;
  readonly reasonPhrase: string;
}

/** The status line of a message/sipfrag body, or undefined when the body does not start with one. */
export function parseSipfragStatus(body: string): SipfragStatus | undefined {
  const match = /^\s*SIP\/2\.0\s+(\d{3})(?:[ \t]+([^\r\n]*))?/i.exec(body);
  if (!match) return undefined;
  return { statusCode: Number(match[1]), reasonPhrase: (match[2] ?? '').trim() };
}

export interface SubscriptionStateValue {
  /** 'active', 'pending', 'terminated' or an extension value (lower case). */
  readonly state: string;
  readonly reason: string | undefined;
  readonly expiresS: number | undefined;
}

/** Reads `active;expires=60` or `terminated;reason=noresource` (RFC 6665 §8.2.3). */
export function parseSubscriptionState(value: string | undefined): SubscriptionStateValue | undefined {
  if (value === undefined || value.trim() === '') return undefined;
  const [state = '', ...params] = value.split(';').map((part) => part.trim());
  let reason: string | undefined;
  let expiresS: number | undefined;
  for (const param of params) {
    const [name = '', raw = ''] = param.split('=').map((part) => part.trim());
    if (name.toLowerCase() === 'reason') reason = raw.toLowerCase();
    if (name.toLowerCase() === 'expires' && /^\d+$/.test(raw)) expiresS = Number(raw);
  }
  return { state: state.toLowerCase(), reason, expiresS };
}
