// bench:app's clicks (ADR 0149), as the page sees them: a sample at least this loud, as a fraction of full scale, is
// a click's onset, and onsets closer than the hold-off are the same click (the fake microphone plays one a second,
// peaking at 0.8). The worklet's edges and the page's stage moments judge by these, so they describe one edge; the
// host's latency tap (electron/host/latency-tap.ts) uses the same values on its side of the contract.

export const CLICK_THRESHOLD = 0.3;
export const CLICK_HOLD_OFF_MS = 500;
