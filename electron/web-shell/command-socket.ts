// One browser tab's WebSocket: contract commands in (JSON text), results and events out. Whatever a client sends
// — not JSON, the wrong shape, an unknown command, too large, too many at once — is answered with a
// `bad_message` or `unknown_command` result and the connection stays up; nothing a client sends can throw out
// of this handler or take the server down.

import type { RawData, WebSocket } from 'ws';
import {
  decodeAudioFrame,
  encodeAudioFrame,
  MAX_COMMAND_MESSAGE_BYTES,
  PHONE_API_VERSION,
  type ApiError,
  type HostMessage,
  type ResultMessage,
} from '../common/index.js';
import type { PhoneService } from '../host/index.js';

/** Commands of one socket being handled at once; more is a misbehaving client, not a busy user. */
export const MAX_COMMANDS_IN_FLIGHT = 32;

export interface CommandSocketStats {
  badMessages: number;
  /** Binary messages that were not audio frames of a live call (garbage, wrong length, unknown call). */
  droppedBinaryFrames: number;
  /** Audio frames handed to the host. */
  audioFramesIn: number;
}

export function attachCommandSocket(
  socket: WebSocket,
  service: PhoneService,
  stats: CommandSocketStats,
): void {
  let inFlight = 0;
  const send = (message: HostMessage): void => {
    if (socket.readyState === socket.OPEN) socket.send(JSON.stringify(message));
  };
  const refuse = (id: number | null, error: ApiError): void => {
    stats.badMessages++;
    send({ type: 'result', id, result: { ok: false, error } });
  };

  send({ type: 'hello', apiVersion: PHONE_API_VERSION });
  const subscription = service.subscribe((event) => send(event));
  // Received audio of every call goes to every tab of this run, as binary frames (electron/common/audio.ts).
  const audio = service.onAudio((frame) => {
    if (socket.readyState === socket.OPEN) socket.send(encodeAudioFrame(frame), { binary: true });
  });
  const detach = () => {
    subscription.dispose();
    audio.dispose();
  };
  socket.on('close', detach);
  socket.on('error', detach);

  socket.on('message', (data: RawData, isBinary: boolean) => {
    if (isBinary) {
      // A microphone frame: whatever does not decode, or names no live call, is counted and dropped.
      const bytes = Array.isArray(data)
        ? Buffer.concat(data)
        : data instanceof ArrayBuffer
          ? new Uint8Array(data)
          : data;
      const decoded = decodeAudioFrame(bytes);
      if (decoded.ok && service.pushAudio(decoded.frame)) stats.audioFramesIn++;
      else stats.droppedBinaryFrames++;
      return;
    }
    const sizeBytes = Array.isArray(data)
      ? data.reduce((n, b) => n + b.byteLength, 0)
      : data instanceof ArrayBuffer
        ? data.byteLength
        : data.byteLength;
    if (sizeBytes > MAX_COMMAND_MESSAGE_BYTES) {
      refuse(null, {
        code: 'bad_message',
        message: `A message of ${sizeBytes} bytes is larger than the ${MAX_COMMAND_MESSAGE_BYTES} bytes a command may have.`,
      });
      return;
    }
    const text = Array.isArray(data)
      ? Buffer.concat(data).toString('utf8')
      : Buffer.from(data as Buffer).toString('utf8');
    let message: unknown;
    try {
      message = JSON.parse(text);
    } catch {
      refuse(null, { code: 'bad_message', message: 'A message was not JSON; it was ignored.' });
      return;
    }
    const envelope = readEnvelope(message);
    if (envelope === undefined) {
      refuse(null, {
        code: 'bad_message',
        message: 'A message was not a command ({ type: "command", id, command, params }); it was ignored.',
      });
      return;
    }
    if (inFlight >= MAX_COMMANDS_IN_FLIGHT) {
      refuse(envelope.id, {
        code: 'bad_message',
        message: `More than ${MAX_COMMANDS_IN_FLIGHT} commands are waiting; wait for their results before sending more.`,
      });
      return;
    }
    inFlight++;
    void service
      .handle(envelope.command, envelope.params)
      .then((result) => {
        const answer: ResultMessage = { type: 'result', id: envelope.id, result };
        send(answer);
      })
      .finally(() => {
        inFlight--;
      });
  });
}

function readEnvelope(value: unknown): { id: number; command: unknown; params: unknown } | undefined {
  if (value === null || typeof value !== 'object' || Array.isArray(value)) return undefined;
  const record = value as Record<string, unknown>;
  if (record['type'] !== 'command') return undefined;
  const id = record['id'];
  if (typeof id !== 'number' || !Number.isSafeInteger(id)) return undefined;
  return { id, command: record['command'], params: record['params'] };
}
