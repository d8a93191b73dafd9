import { randomBytes } from 'node:crypto';
import { type Socket, createSocket } from 'node:dgram';

// Just enough SIP over UDP to place one call at a peer from a media test: INVITE with our SDP offer, ACK on the 2xx,
// BYE at the end. The real SIP stack is another layer; media interop must not wait for it, and must not depend on
// it either.

export interface SipResponse {
  readonly status: number;
  readonly headers: ReadonlyMap<string, string>;
  readonly body: string;
}

function token(): string {
  return randomBytes(6).toString('hex');
}

export class RawSipCaller {
  readonly #socket: Socket;
  readonly #target: { host: string; port: number };
  readonly #callId = `${token()}@trunkline.test`;
  readonly #fromTag = token();
  #toTag: string | undefined;
  #remoteContact: string | undefined;
  #cseq = 1;
  readonly #responses: SipResponse[] = [];
  readonly #waiters: Array<() => void> = [];
  /** Requests the peer sent us (BYE from its side), by method. */
  readonly requests: string[] = [];

  private constructor(socket: Socket, target: { host: string; port: number }) {
    this.#socket = socket;
    this.#target = target;
    socket.on('message', (data) => this.#onMessage(data.toString()));
  }

  static async open(target: { host: string; port: number }): Promise<RawSipCaller> {
    const socket = createSocket('udp4');
    await new Promise<void>((resolve) => socket.bind(0, '127.0.0.1', () => resolve()));
    return new RawSipCaller(socket, target);
  }

  get #local(): string {
    return `127.0.0.1:${this.#socket.address().port}`;
  }

  #send(text: string): void {
    this.#socket.send(text, this.#target.port, this.#target.host);
  }

  #request(method: string, uri: string, cseq: number, extra: string[], body = ''): string {
    const to = `<sip:bob@${this.#target.host}:${this.#target.port}>${this.#toTag ? `;tag=${this.#toTag}` : ''}`;
    return [
      `${method} ${uri} SIP/2.0`,
      `Via: SIP/2.0/UDP ${this.#local};branch=z9hG4bK${token()};rport`,
      'Max-Forwards: 70',
      `From: <sip:trunkline@${this.#local}>;tag=${this.#fromTag}`,
      `To: ${to}`,
      `Call-ID: ${this.#callId}`,
      `CSeq: ${cseq} ${method}`,
      `Contact: <sip:trunkline@${this.#local}>`,
      ...extra,
      `Content-Length: ${Buffer.byteLength(body)}`,
      '',
      body,
    ].join('\r\n');
  }

  #onMessage(text: string): void {
    const [head = '', body = ''] = text.split('\r\n\r\n');
    const [first = '', ...lines] = head.split('\r\n');
    const headers = new Map<string, string>();
    for (const line of lines) {
      const colon = line.indexOf(':');
      if (colon > 0) headers.set(line.slice(0, colon).trim().toLowerCase(), line.slice(colon + 1).trim());
    }
    if (first.startsWith('SIP/2.0 ')) {
      this.#responses.push({ status: Number(first.split(' ')[1]), headers, body });
      for (const wake of this.#waiters.splice(0)) wake();
      return;
    }
    const method = first.split(' ')[0] ?? '';
    this.requests.push(method);
    // Answer the peer's requests (a BYE from its side) with 200, echoing the dialog headers.
    const echo = ['via', 'from', 'to', 'call-id', 'cseq'].map((h) => `${h}: ${headers.get(h) ?? ''}`);
    this.#send(['SIP/2.0 200 OK', ...echo, 'Content-Length: 0', '', ''].join('\r\n'));
  }

  async #finalResponse(cseq: number, timeoutMs: number): Promise<SipResponse> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const found = this.#responses.find(
        (r) => r.status >= 200 && r.headers.get('cseq')?.startsWith(`${cseq} `),
      );
      if (found) return found;
      if (Date.now() > deadline) throw new Error(`no final response to CSeq ${cseq}`);
      await new Promise<void>((resolve) => {
        this.#waiters.push(resolve);
        setTimeout(resolve, 200);
      });
    }
  }

  /** Sends the INVITE with `sdp`, waits for the final response and ACKs a 2xx. */
  async invite(sdp: string): Promise<SipResponse> {
    const uri = `sip:bob@${this.#target.host}:${this.#target.port}`;
    this.#send(this.#request('INVITE', uri, this.#cseq, ['Content-Type: application/sdp'], sdp));
    const response = await this.#finalResponse(this.#cseq, 15_000);
    if (response.status >= 200 && response.status < 300) {
      this.#toTag = /;tag=([^;>\s]+)/.exec(response.headers.get('to') ?? '')?.[1];
      this.#remoteContact = /<([^>]+)>/.exec(response.headers.get('contact') ?? '')?.[1] ?? uri;
      this.#send(this.#request('ACK', this.#remoteContact, this.#cseq, []));
    }
    return response;
  }

  /** Ends an established call. */
  async bye(): Promise<SipResponse | undefined> {
    if (!this.#remoteContact) return undefined;
    const cseq = ++this.#cseq;
    this.#send(this.#request('BYE', this.#remoteContact, cseq, []));
    return this.#finalResponse(cseq, 5000).catch(() => undefined);
  }

  close(): void {
    this.#socket.close();
  }
}
