// A dialog of RFC 3261 §12 (with §13–§15 for INVITE, re-INVITE and BYE): the state two user agents share for
// the requests they send each other. Application-independent: it builds in-dialog requests and the ACK for a
// 2xx, checks and records CSeq numbers, follows target refreshes, and keeps the route set. It sends nothing
// itself; its owner (the emulator's call, a test UAS/UAC) passes what it builds to the stack.

import { detachString } from '../../common/detached-string.js';
import {
  createRequest,
  NameAddr,
  parseNameAddr,
  parseUri,
  type SipRequest,
  type SipResponse,
  type Uri,
} from '../message/index.js';
import { type DialogId, dialogIdOfResponse, dialogKey } from './dialog-id.js';
import { SipDialogError } from './dialog-error.js';

/**
 * ```
 *   UAC: 1xx with To tag ──►┌───────┐ 2xx ┌───────────┐ BYE sent/received, 481/408 to an in-dialog request
 *                           │ Early │────►│ Confirmed │──────────────────────────────┐
 *   UAS: 1xx with To tag ──►└───────┘     └───────────┘                              ▼
 *                               │ non-2xx final      ▲ UAC/UAS: 2xx          ┌────────────┐
 *                               └────────────────────┼──────────────────────►│ Terminated │
 *                                                    │                       └────────────┘
 * ```
 */
export enum DialogState {
  Early = 'early',
  Confirmed = 'confirmed',
  Terminated = 'terminated',
}

/** Methods whose requests and 2xx responses replace the remote target (RFC 3261 §12.2, RFC 3311 §5.1). */
const TARGET_REFRESH_METHODS = new Set(['INVITE', 'UPDATE', 'SUBSCRIBE', 'NOTIFY', 'REFER']);
/** Methods that carry our Contact (target refresh and dialog-creating requests). */
const CONTACT_METHODS = new Set(['INVITE', 'UPDATE', 'SUBSCRIBE', 'NOTIFY', 'REFER']);
/** Headers of the INVITE copied into the ACK for its 2xx (RFC 3261 §13.2.2.4). */
const ACK_COPIED_HEADERS = ['authorization', 'proxy-authorization'];

export interface DialogInit {
  readonly id: DialogId;
  readonly role: 'uac' | 'uas';
  readonly state: DialogState.Early | DialogState.Confirmed;
  readonly localUri: Uri;
  readonly remoteUri: Uri;
  /** Our Contact, sent in target refresh requests. */
  readonly localTarget?: Uri;
  readonly remoteTarget: Uri;
  /** Route values in the order requests carry them (already reversed for the UAC, §12.1.2). */
  readonly routeSet: readonly string[];
  /** The last CSeq number we used; the next request gets one more. */
  readonly localSeq: number;
  /** The last CSeq number the peer used; undefined until the peer sends a request (UAC side). */
  readonly remoteSeq?: number;
  readonly secure: boolean;
}

export interface InDialogRequestInit {
  readonly body?: Buffer | string;
  readonly contentType?: string;
  readonly headers?: ReadonlyArray<readonly [name: string, value: string]>;
}

/** What the dialog says about a request received in it (RFC 3261 §12.2.2). */
export type IncomingRequestVerdict =
  | { readonly accepted: true }
  | { readonly accepted: false; readonly statusCode: 500; readonly reason: string };

/**
 * A URI a dialog keeps for its whole life, held as its own text and parsed when a request is built: a parsed URI is
 * an object tree of a few hundred bytes, and an idle dialog keeps four of them but reads them only for the next
 * BYE or re-INVITE (docs/adr/0094). A URI whose text does not parse back (none should) is kept as the object.
 */
type KeptUri = string | Uri;

function keepUri(uri: Uri): KeptUri {
  const text = detachString(uri.format());
  // A parsed SIP URI's text is the text it was parsed from: checking it again was a quarter of the URI parsing
  // in an emulator call (docs/adr/0161).
  if (uri.kind === 'sip' && uri.isParsed) return text;
  try {
    parseUri(text);
    return text;
  } catch {
    return uri;
  }
}

function keptUri(kept: KeptUri): Uri {
  return typeof kept === 'string' ? parseUri(kept) : kept;
}

export class Dialog {
  readonly id: DialogId;
  readonly key: string;
  readonly role: 'uac' | 'uas';
  readonly secure: boolean;
  #localUri: KeptUri;
  #remoteUri: KeptUri;
  #localTarget: KeptUri | undefined;
  #state: DialogState;
  #remoteTarget: KeptUri;
  #routeSet: readonly string[];
  #localSeq: number;
  #remoteSeq: number | undefined;

  constructor(init: DialogInit) {
    // A dialog lives as long as its call: what it keeps is copied out of the message text it was parsed from, so
    // that an idle call does not hold its INVITE's whole text (common/detached-string.ts).
    this.id = {
      callId: detachString(init.id.callId),
      localTag: detachString(init.id.localTag),
      remoteTag: detachString(init.id.remoteTag),
    };
    this.key = dialogKey(this.id);
    this.role = init.role;
    this.#localUri = keepUri(init.localUri);
    this.#remoteUri = keepUri(init.remoteUri);
    this.secure = init.secure;
    this.#localTarget = init.localTarget === undefined ? undefined : keepUri(init.localTarget);
    this.#state = init.state;
    this.#remoteTarget = keepUri(init.remoteTarget);
    this.#routeSet = init.routeSet.map(detachString);
    this.#localSeq = init.localSeq;
    this.#remoteSeq = init.remoteSeq;
  }

  /**
   * The UAC's dialog from a response to its request (RFC 3261 §12.1.2): a 1xx with a To tag makes an early
   * dialog, a 2xx a confirmed one. Route set: the Record-Route of the response, reversed. Remote target: the
   * response's Contact.
   */
  static fromResponse(request: SipRequest, response: SipResponse, localTarget?: Uri): Dialog {
    const id = dialogIdOfResponse(response);
    const status = response.statusCode;
    if (id === undefined || status < 101 || status >= 300) {
      throw new SipDialogError(
        'SIP_DIALOG_NO_DIALOG',
        'Only a 2xx or a 1xx with a To tag (not 100) creates a dialog (RFC 3261 §12.1.2).',
      );
    }
    return new Dialog({
      id,
      role: 'uac',
      state: status < 200 ? DialogState.Early : DialogState.Confirmed,
      localUri: request.from!.uri,
      remoteUri: request.to!.uri,
      ...(localTarget !== undefined ? { localTarget } : {}),
      remoteTarget: response.contacts[0]?.uri ?? request.requestUri,
      routeSet: response.headers.getList('record-route').slice().reverse(),
      localSeq: request.cseq!.seq,
      secure: isSecure(request),
    });
  }

  /**
   * The UAS's dialog from a request and the response it sends (RFC 3261 §12.1.1): the response's To tag is our
   * tag. Route set: the request's Record-Route in order. Remote target: the request's Contact.
   */
  static fromRequest(request: SipRequest, response: SipResponse, localTarget?: Uri): Dialog {
    const callId = request.callId;
    const remoteTag = request.from?.tag;
    const localTag = response.to?.tag;
    if (callId === undefined || remoteTag === undefined || localTag === undefined) {
      throw new SipDialogError(
        'SIP_DIALOG_NO_DIALOG',
        'A UAS dialog needs the request From tag and a To tag on the response (RFC 3261 §12.1.1).',
      );
    }
    return new Dialog({
      id: { callId, localTag, remoteTag },
      role: 'uas',
      state: response.statusCode < 200 ? DialogState.Early : DialogState.Confirmed,
      localUri: request.to!.uri,
      remoteUri: request.from!.uri,
      ...(localTarget !== undefined ? { localTarget } : {}),
      remoteTarget: request.contacts[0]?.uri ?? request.from!.uri,
      routeSet: request.headers.getList('record-route'),
      // §12.1.1: the local sequence number starts empty; the first request we send picks 1.
      localSeq: 0,
      remoteSeq: request.cseq!.seq,
      secure: isSecure(request),
    });
  }

  get state(): DialogState {
    return this.#state;
  }

  /** Our URI (From of our requests); a new object on every read. */
  get localUri(): Uri {
    return keptUri(this.#localUri);
  }

  /** The peer's URI (To of our requests); a new object on every read. */
  get remoteUri(): Uri {
    return keptUri(this.#remoteUri);
  }

  /** Our Contact, sent in target refresh requests; a new object on every read. */
  get localTarget(): Uri | undefined {
    return this.#localTarget === undefined ? undefined : keptUri(this.#localTarget);
  }

  set localTarget(uri: Uri | undefined) {
    this.#localTarget = uri === undefined ? undefined : keepUri(uri);
  }

  /** Where our requests go (Request-URI, or the last Route for a strict router); a new object on every read. */
  get remoteTarget(): Uri {
    return keptUri(this.#remoteTarget);
  }

  get routeSet(): readonly string[] {
    return this.#routeSet;
  }

  get localSeq(): number {
    return this.#localSeq;
  }

  get remoteSeq(): number | undefined {
    return this.#remoteSeq;
  }

  terminate(): void {
    this.#state = DialogState.Terminated;
  }

  /**
   * The UAS sent a 2xx to the INVITE that created this early dialog (RFC 3261 §12.1.1, §13.3.1.4): the dialog is
   * confirmed. Its route set and remote target came from that INVITE and stay; sequence numbers stay as they
   * are. Returns false, changing nothing, when this dialog is not an early UAS dialog whose tag the response
   * carries — the caller then creates the confirmed dialog from the request.
   */
  confirmByResponse(response: SipResponse): boolean {
    if (this.role !== 'uas' || this.#state !== DialogState.Early) return false;
    const status = response.statusCode;
    if (status < 200 || status >= 300 || response.cseq?.method !== 'INVITE') return false;
    if (response.to?.tag !== this.id.localTag) return false;
    this.#state = DialogState.Confirmed;
    return true;
  }

  /**
   * A request in this dialog (RFC 3261 §12.2.1.1): To/From with both tags, the Call-ID, the next CSeq number,
   * the Request-URI and Route set from the remote target and route set (loose or strict routing), and our
   * Contact on target refresh requests. The stack adds the Via when it sends.
   */
  createRequest(method: string, init: InDialogRequestInit = {}): SipRequest {
    if (this.#state === DialogState.Terminated && method !== 'ACK') {
      throw new SipDialogError(
        'SIP_DIALOG_TERMINATED',
        `The dialog has ended; a ${method} cannot be sent in it.`,
      );
    }
    if (method === 'ACK' || method === 'CANCEL') {
      throw new SipDialogError(
        'SIP_DIALOG_NO_DIALOG',
        `${method} is built by createAck or by the stack's cancel, not createRequest.`,
      );
    }
    this.#localSeq += 1;
    return this.#build(method, this.#localSeq, init);
  }

  /**
   * The ACK for a 2xx to `invite` (RFC 3261 §13.2.2.4): the INVITE's CSeq number with method ACK, the dialog's
   * Request-URI and Route set, and the INVITE's credentials. It gets its own Via (branch) when sent.
   */
  createAck(invite: SipRequest, init: InDialogRequestInit = {}): SipRequest {
    const headers: Array<readonly [string, string]> = [...(init.headers ?? [])];
    for (const key of ACK_COPIED_HEADERS) {
      for (const value of invite.headers.getAll(key))
        headers.push([key === 'authorization' ? 'Authorization' : 'Proxy-Authorization', value]);
    }
    return this.#build('ACK', invite.cseq!.seq, { ...init, headers });
  }

  /**
   * Checks and records a request the peer sent in this dialog (RFC 3261 §12.2.2): a CSeq lower than the last one
   * is refused with 500 (ACK and CANCEL reuse the INVITE's number and are exempt); target refresh requests replace
   * the remote target with their Contact.
   */
  receiveRequest(request: SipRequest): IncomingRequestVerdict {
    const seq = request.cseq?.seq;
    if (seq === undefined) return { accepted: false, statusCode: 500, reason: 'no CSeq' };
    const method = request.method;
    if (method !== 'ACK' && method !== 'CANCEL') {
      if (this.#remoteSeq !== undefined && seq <= this.#remoteSeq) {
        return {
          accepted: false,
          statusCode: 500,
          reason: `CSeq ${seq} is not above the last one seen in this dialog (${this.#remoteSeq})`,
        };
      }
      this.#remoteSeq = seq;
    }
    if (TARGET_REFRESH_METHODS.has(method)) this.#refreshTarget(request);
    if (method === 'BYE') this.terminate();
    return { accepted: true };
  }

  /**
   * A response to a request we sent in (or while creating) this dialog. A 2xx to INVITE confirms an early dialog
   * and, for the UAC, recomputes the route set from the 2xx (§12.1.2, §13.2.2.4); 1xx/2xx responses to target
   * refresh requests update the remote target (§12.2.1.2); 481 and 408 end the dialog (§12.2.1.2); a non-2xx
   * final to the INVITE ends an early dialog.
   */
  receiveResponse(response: SipResponse): void {
    const method = response.cseq?.method;
    const status = response.statusCode;
    if (status === 481 || status === 408) {
      this.terminate();
      return;
    }
    if (method === 'INVITE' && status >= 300 && this.#state === DialogState.Early) {
      this.terminate();
      return;
    }
    if (status < 101 || status >= 300 || method === undefined) return;
    if (method === 'INVITE' && status >= 200 && this.#state === DialogState.Early) {
      this.#state = DialogState.Confirmed;
      if (this.role === 'uac') this.#routeSet = response.headers.getList('record-route').slice().reverse();
    }
    if (TARGET_REFRESH_METHODS.has(method)) this.#refreshTarget(response);
  }

  #refreshTarget(message: SipRequest | SipResponse): void {
    const contact = message.contacts[0];
    if (contact !== undefined) this.#remoteTarget = keepUri(contact.uri);
  }

  #build(method: string, seq: number, init: InDialogRequestInit): SipRequest {
    const to = new NameAddr({ uri: this.remoteUri });
    to.tag = this.id.remoteTag;
    const from = new NameAddr({ uri: this.localUri });
    from.tag = this.id.localTag;
    const { requestUri, routes } = this.#routing();
    const localTarget = this.localTarget;
    const request = createRequest({
      method,
      requestUri,
      to,
      from,
      callId: this.id.callId,
      cseq: seq,
      ...(localTarget !== undefined && CONTACT_METHODS.has(method) ? { contact: localTarget } : {}),
      headers: [...routes.map((route): [string, string] => ['Route', route]), ...(init.headers ?? [])],
      ...(init.body !== undefined ? { body: init.body } : {}),
      ...(init.contentType !== undefined ? { contentType: init.contentType } : {}),
    });
    return request;
  }

  /** RFC 3261 §12.2.1.1: loose routing keeps the remote target as Request-URI; a strict router takes its place. */
  #routing(): { requestUri: Uri | string; routes: readonly string[] } {
    const first = this.#routeSet[0];
    if (first === undefined) return { requestUri: this.remoteTarget, routes: [] };
    const firstUri = parseRouteUri(first);
    if (firstUri === undefined || (firstUri.kind === 'sip' && firstUri.lr)) {
      return { requestUri: this.remoteTarget, routes: this.#routeSet };
    }
    return {
      requestUri: firstUri,
      routes: [...this.#routeSet.slice(1), `<${this.remoteTarget.format()}>`],
    };
  }
}

function parseRouteUri(route: string): Uri | undefined {
  try {
    return parseNameAddr(route).uri;
  } catch {
    return undefined;
  }
}

/** RFC 3261 §12.1.1/§12.1.2: the dialog is secure when the request went over TLS to a SIPS Request-URI. */
function isSecure(request: SipRequest): boolean {
  const uri = request.requestUri;
  return (
    uri.kind === 'sip' && uri.scheme === 'sips' && (request.topVia?.transport.toUpperCase() ?? '') === 'TLS'
  );
}
