// The networks Zentrunk sends signalling and media from (BEHAVIOUR.md §2.2, grade D), flattened from policy's
// table by region, which is the one place they are written down (ADR 0115). Plivo advises allowing all of them,
// because a call may be routed through another region during an incident; the technical-specifications page lists
// only eight (§17), which would drop calls from São Paulo, Singapore and Mumbai. They are the default of a
// profile's `allowedInboundSources` (toll-fraud protection, ADR 0093).

import { ZENTRUNK_REGIONS } from '../policy/index.js';

export const ZENTRUNK_SIGNALLING_CIDRS: readonly string[] = Object.freeze(
  ZENTRUNK_REGIONS.flatMap((region) => region.cidrs),
);
