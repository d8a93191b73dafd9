// The command names as a value, for the code that must enumerate them: the preload (one function per command),
// the WebSocket shell (refuses unknown names) and the host (one handler per command, checked by the compiler
// through `satisfies`).

import type { CommandName } from './phone-api.js';

export const PHONE_API_COMMANDS = [
  'app.info',
  'settings.get',
  'settings.update',
  'profiles.list',
  'profiles.save',
  'profiles.delete',
  'profiles.setPassword',
  'profiles.testConnection',
  'numbers.classify',
  'calls.predict',
  'calls.list',
  'calls.dial',
  'calls.answer',
  'calls.decline',
  'calls.hangup',
  'calls.sendDtmf',
  'calls.hold',
  'calls.resume',
  'calls.mute',
  'calls.transferBlind',
  'calls.transferAttended',
  'emulator.status',
  'emulator.start',
  'emulator.stop',
  'emulator.exportCa',
  'emulator.liveCalls',
  'emulator.getAccount',
  'emulator.saveAccount',
  'emulator.resetAccount',
  'emulator.placeInbound',
  'emulator.recentEvents',
  'history.list',
  'history.exportCsv',
  'diagnosis.get',
  'diagnosis.explain',
  'diagnosis.exportPcap',
  'diagnosis.getCapture',
  'diagnosis.deleteCapture',
  'checks.list',
  'checks.run',
  'checks.runs',
  'checks.getRun',
  'checks.cancel',
  'checks.active',
  'checks.exportReport',
] as const satisfies readonly CommandName[];

// Compile-time proof that the list names every command: a command missing here makes this type `never`-checked
// assignment fail.
type Missing = Exclude<CommandName, (typeof PHONE_API_COMMANDS)[number]>;
export const ALL_COMMANDS_LISTED: Missing extends never ? true : Missing = true;

export function isCommandName(value: unknown): value is CommandName {
  return typeof value === 'string' && (PHONE_API_COMMANDS as readonly string[]).includes(value);
}

export const PHONE_API_EVENTS = [
  'settings.changed',
  'settings.recovered',
  'call.updated',
  'call.incoming',
  'emulator.status',
  'emulator.event',
  'history.recorded',
  'checks.started',
  'checks.progress',
  'checks.finished',
  'host.notice',
] as const;
