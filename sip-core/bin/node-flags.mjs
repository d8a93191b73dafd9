// V8 flags for every process that hosts media sessions: the `trunkline` CLI (this folder's launcher, by its
// shebang), the browser-mode shell and Electron's main process (`scripts/start.mjs`), and the benchmarks that
// measure them. One list, so that what is measured is what runs (docs/adr/0156).
//
// --min-semi-space-size=16: start V8's young generation at its full size (16 MB per semi-space, V8 11's default
// maximum) instead of 1 MB. Hundreds of RTP sessions allocate ~25 MB/s of short-lived objects in Node's own UDP
// path (each datagram's Buffer and address object, each send's request); in a 1 MB young generation a scavenge
// runs every ~40 ms, so objects that live one or two 20 ms frames are promoted, the old generation fills with
// them, and V8 starts a mark-compact every 0.5–1 s whose 3–14 ms pauses stall every session due meanwhile. V8
// grows the young generation only as survivors push it, which under this load is slowly or never. Started full,
// scavenges come every ~0.6 s and promote almost nothing. Cost: ~31 MB more reserved for the young generation.
//
// --no-allocation-site-pretenuring (docs/adr/0174): V8 decides early in each run, from which object literals'
// objects happened to survive a scavenge, to allocate some literals straight in the old generation. Objects put
// there that point at a call's young objects keep them from the young-generation collector after they die, until
// the next full collection: which literals it picked decided whether the emulator promoted ~6 or ~10 KB per call
// in a run. Without it, 7.3 KB in every run (2.6 KB with docs/adr/0174's CellMaps); RTP sessions cost the same.
//
// Weighed and left out (docs/adr/0175, 0176): a 32 MB semi-space (less scavenging per emulator call, a lower mean
// CPU per call at 3,000 calls/s but no higher clean rate in the ladder; 32 MB more per process) and a larger
// TurboFan inlining budget (no effect).
//
// The shebang of trunkline.mjs and the `trunkline` script of package.json repeat this list (a test checks them).
export const MEDIA_HOST_NODE_FLAGS = Object.freeze([
  '--min-semi-space-size=16',
  '--no-allocation-site-pretenuring',
]);
