// The front door of sip/auth: HTTP Digest authentication for SIP, both sides (RFC 3261 §22, RFC 7616,
// RFC 8760). Other layers import from here, never from the files behind it.

export { DigestAuthError, type DigestAuthErrorCode } from './digest-auth-error.js';
export {
  DIGEST_ALGORITHMS,
  DIGEST_HEX_LENGTH,
  type DigestAlgorithm,
  type DigestAlgorithmInfo,
  type DigestHashName,
  digestHash,
  lookupDigestAlgorithm,
  STRONGEST_FIRST,
} from './digest-algorithm.js';
export { type AuthParam, type ParsedAuthHeader, parseAuthHeader } from './auth-params.js';
export { AUTH_HEADER_NAMES, type AuthHeaderNames, type ChallengeStatus } from './auth-header-names.js';
export { type DigestChallenge, formatDigestChallenge, parseDigestChallenge } from './digest-challenge.js';
export {
  type DigestCredentials,
  formatDigestCredentials,
  parseDigestCredentials,
} from './digest-credentials.js';
export {
  computeDigestResponse,
  computeHa1,
  type DigestQop,
  type DigestRequest,
  type DigestResponseInput,
  formatNonceCount,
} from './digest-response.js';
export { DigestSecret, type DigestHa1Map } from './digest-secret.js';
export {
  assessDigestChallenge,
  type ChallengeSelectionOptions,
  selectDigestChallenge,
  type UsableChallenge,
} from './select-digest-challenge.js';
export { DigestClient, type DigestAuthorization, type DigestClientOptions } from './digest-client.js';
export {
  type CreateChallengesOptions,
  DigestServer,
  type DigestServerOptions,
  type DigestUriCheck,
  type DigestVerifyInput,
} from './digest-server.js';
export {
  type DigestAction,
  type DigestVerification,
  type DigestVerificationKind,
  digestVerificationAction,
} from './digest-verification.js';
