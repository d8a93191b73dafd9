// The front door of the dialog layer (RFC 3261 §12–§15).

export {
  Dialog,
  DialogState,
  type DialogInit,
  type InDialogRequestInit,
  type IncomingRequestVerdict,
} from './dialog.js';
export { SipDialogError, type SipDialogErrorCode } from './dialog-error.js';
export { dialogIdOfIncomingRequest, dialogIdOfResponse, dialogKey, type DialogId } from './dialog-id.js';
export {
  Uas2xxRetransmitter,
  Uas2xxRetransmitterState,
  type Uas2xxRetransmitterEvents,
  type Uas2xxRetransmitterOptions,
} from './uas-2xx-retransmitter.js';
export {
  uacInviteKey,
  UacInviteDialogs,
  type UacDialogSender,
  type UacInviteDialogsEvents,
  type UacInviteDialogsOptions,
  type UacInviteOutcome,
} from './uac-invite-dialogs.js';
