// Front door of diagnostics: observers of what crossed the wire — the SIP ladder, PCAP export and import, and the
// hangup explanation. ua/ and emulator/ never import this layer; checks/ and cli/ do.
export * from './explain/index.js';
export * from './ladder/index.js';
export * from './pcap/index.js';
