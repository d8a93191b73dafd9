/** V8 flags for every process that hosts media sessions (see node-flags.mjs). */
export declare const MEDIA_HOST_NODE_FLAGS: readonly string[];
