// The contract's version. A shell and a renderer of different versions refuse each other at the hello instead of
// failing on the first command whose shape changed. Bump it when a command, result or event changes shape;
// adding a new command or event is compatible and does not bump it.

export const PHONE_API_VERSION = 1;
export type PhoneApiVersion = typeof PHONE_API_VERSION;
