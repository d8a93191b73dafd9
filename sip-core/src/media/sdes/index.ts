// Front door of media/sdes: a=crypto lines (RFC 4568) to SRTP keys and back.
export {
  type SdesCrypto,
  type SdesReadResult,
  type SdesRefusal,
  generateSdesCrypto,
  readSdesCrypto,
  toSdpCrypto,
} from './sdes-crypto.js';
