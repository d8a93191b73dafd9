// Which header fields carry the challenge and the answer (RFC 3261 §22.2 and §22.3): a user agent server
// challenges with 401 and WWW-Authenticate and is answered in Authorization; a proxy (Zentrunk, and the
// emulator, which stands where Zentrunk's edge proxy stands) challenges with 407 and Proxy-Authenticate and is
// answered in Proxy-Authorization.

export type ChallengeStatus = 401 | 407;

export interface AuthHeaderNames {
  readonly challenge: 'WWW-Authenticate' | 'Proxy-Authenticate';
  readonly credentials: 'Authorization' | 'Proxy-Authorization';
}

export const AUTH_HEADER_NAMES: Readonly<Record<ChallengeStatus, AuthHeaderNames>> = {
  401: { challenge: 'WWW-Authenticate', credentials: 'Authorization' },
  407: { challenge: 'Proxy-Authenticate', credentials: 'Proxy-Authorization' },
};
