// The tls folder's front door: the local CA and server certificate, user-supplied material, and SAN names.

export {
  certificateNames,
  normaliseIp,
  sameNames,
  type CertificateNameInputs,
  type CertificateNames,
} from './certificate-names.js';
export {
  ensureLocalCertificates,
  exportCaCertificate,
  loadUserCertificate,
  namesOfCertificate,
  TLS_FOLDER,
  type KeyAlgorithm,
  type LocalCertificateOptions,
  type LocalCertificates,
  type ReissueReason,
  type ServerCertificateStatus,
  type TlsMaterial,
} from './local-certificate-authority.js';
export { EmulatorTlsError, type EmulatorTlsErrorCode } from './tls-error.js';
