// One SIP exchange of a check's evidence as a ladder (diagnostics' model), with this process labelled
// "Trunkline" and the far end "Trunk": what the HTML report draws as text and the desktop app as a diagram.

import { buildLadder, type LadderMessageInput, type SipLadder } from '../../diagnostics/index.js';
import type { SipExchangeEvidence } from '../runner/check-definition.js';

export function exchangeLadder(exchange: SipExchangeEvidence): SipLadder {
  const inputs: LadderMessageInput[] = exchange.messages.map((m) => ({
    timestampMs: m.timestampMs,
    source: m.source,
    destination: m.destination,
    transport: m.transport,
    bytes: Buffer.from(m.text, 'utf8'),
    ...(m.retransmission ? { retransmission: true } : {}),
    ...(m.localEnd ? { localEnd: m.localEnd } : {}),
  }));
  return buildLadder(inputs, { labels: { local: 'Trunkline', remote: 'Trunk' } });
}
