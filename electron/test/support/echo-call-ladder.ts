// The ladder a softphone call from the app's emulator profile to the echo number must show, arrow by arrow
// (retransmissions left out): the demo credential trunk challenges the first INVITE, then the emulator
// acknowledges the authenticated INVITE with 100 Trying and the echo number rings before it answers at once
// (docs/adr/0088). The host's diagnosis test and the e2e calls spec both assert it.

export const ECHO_CALL_LADDER: readonly string[] = Object.freeze([
  'INVITE',
  '407 Proxy Authentication Required',
  'ACK',
  'INVITE',
  '100 Trying',
  '180 Ringing',
  '200 OK',
  'ACK',
  'BYE',
  '200 OK',
]);
