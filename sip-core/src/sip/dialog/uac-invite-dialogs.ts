// The UAC side of an INVITE's dialogs (RFC 3261 §13.2.2): early dialogs from 1xx with a To tag, the ACK for
// each 2xx (§13.2.2.4) re-sent on every retransmission of that 2xx, and forks — a 2xx from a second To tag
// (§13.2.2.4, §19.3) — which are acknowledged and either ended with BYE or reported to the TU.

import type { Disposable } from '../../common/disposable.js';
import { TypedEmitter } from '../../common/typed-emitter.js';
import type { SipRequest, SipResponse, Uri } from '../message/index.js';
import { Dialog, DialogState } from './dialog.js';

/** What the dialogs need from the stack (the `SipStack` fits): sending an ACK for a 2xx and a BYE. */
export interface UacDialogSender {
  sendAck(ack: SipRequest): Promise<void>;
  sendRequest(request: SipRequest): unknown;
}

/** What a response meant for the INVITE's dialogs. */
export type UacInviteOutcome =
  | { readonly kind: 'provisional'; readonly dialog: Dialog | undefined }
  | { readonly kind: 'confirmed'; readonly dialog: Dialog; readonly ack: SipRequest }
  | { readonly kind: 'retransmission'; readonly dialog: Dialog; readonly ack: SipRequest }
  | { readonly kind: 'fork'; readonly dialog: Dialog; readonly ack: SipRequest }
  | { readonly kind: 'failed' };

export interface UacInviteDialogsEvents {
  /** A 2xx from a second To tag (a fork) was acknowledged; with `ack-and-bye` a BYE went out too. */
  fork: (dialog: Dialog, response: SipResponse) => void;
}

export interface UacInviteDialogsOptions {
  /** Our Contact, for target refresh requests in the dialogs. */
  readonly localTarget?: Uri;
  /**
   * What to do with a 2xx from an extra fork: `ack-and-bye` (default; a UA that wants one call, §13.2.2.4) or
   * `report` (ACK it and emit `fork`, the TU decides).
   */
  readonly forkPolicy?: 'ack-and-bye' | 'report';
}

/** A key that finds the INVITE a (stray) response belongs to: Call-ID, From tag and CSeq number. */
export function uacInviteKey(message: SipRequest | SipResponse): string | undefined {
  const callId = message.callId;
  const tag = message.from?.tag;
  const seq = message.cseq?.seq;
  return callId === undefined || tag === undefined || seq === undefined
    ? undefined
    : `${callId}\n${tag}\n${seq}`;
}

export class UacInviteDialogs {
  readonly invite: SipRequest;
  readonly key: string;
  readonly #sender: UacDialogSender;
  readonly #options: UacInviteDialogsOptions;
  readonly #events = new TypedEmitter<UacInviteDialogsEvents>();
  readonly #dialogs = new Map<string, Dialog>();
  readonly #acks = new Map<string, SipRequest>();
  #primary: Dialog | undefined;

  constructor(invite: SipRequest, sender: UacDialogSender, options: UacInviteDialogsOptions = {}) {
    this.invite = invite;
    this.key = uacInviteKey(invite) ?? '';
    this.#sender = sender;
    this.#options = options;
  }

  /** The dialog of the first 2xx (the call), once there is one. */
  get dialog(): Dialog | undefined {
    return this.#primary;
  }

  /** Every dialog of this INVITE by remote tag, early and confirmed. */
  get dialogs(): ReadonlyMap<string, Dialog> {
    return this.#dialogs;
  }

  on<K extends keyof UacInviteDialogsEvents>(event: K, listener: UacInviteDialogsEvents[K]): Disposable {
    return this.#events.on(event, listener);
  }

  /** Every response to the INVITE: from its client transaction, and stray 2xx after it ended. */
  receive(response: SipResponse): UacInviteOutcome {
    const status = response.statusCode;
    const tag = response.to?.tag;
    if (status >= 300) {
      for (const dialog of this.#dialogs.values()) if (dialog.state === DialogState.Early) dialog.terminate();
      return { kind: 'failed' };
    }
    if (status < 200) {
      if (tag === undefined || status === 100) return { kind: 'provisional', dialog: undefined };
      let dialog = this.#dialogs.get(tag);
      if (dialog === undefined) {
        dialog = Dialog.fromResponse(this.invite, response, this.#options.localTarget);
        this.#dialogs.set(tag, dialog);
      } else dialog.receiveResponse(response);
      return { kind: 'provisional', dialog };
    }
    if (tag === undefined) return { kind: 'failed' };
    const sentAck = this.#acks.get(tag);
    const known = this.#dialogs.get(tag);
    if (sentAck !== undefined && known !== undefined) {
      // §13.2.2.4: a retransmitted 2xx means our ACK was lost; send the same ACK again.
      void this.#sender.sendAck(sentAck).catch(() => undefined);
      return { kind: 'retransmission', dialog: known, ack: sentAck };
    }
    let dialog = known;
    if (dialog === undefined) {
      dialog = Dialog.fromResponse(this.invite, response, this.#options.localTarget);
      this.#dialogs.set(tag, dialog);
    } else dialog.receiveResponse(response);
    const ack = dialog.createAck(this.invite);
    this.#acks.set(tag, ack);
    void this.#sender.sendAck(ack).catch(() => undefined);
    if (this.#primary === undefined) {
      this.#primary = dialog;
      return { kind: 'confirmed', dialog, ack };
    }
    if ((this.#options.forkPolicy ?? 'ack-and-bye') === 'ack-and-bye') {
      this.#sender.sendRequest(dialog.createRequest('BYE'));
      dialog.terminate();
    }
    this.#events.emit('fork', dialog, response);
    return { kind: 'fork', dialog, ack };
  }
}
