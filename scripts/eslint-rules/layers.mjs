// The import table of docs/architecture.md, as data. The `trunkline/layering` lint rule enforces it, so a wrong
// arrow fails `npm run lint` (and CI) instead of surviving as a wiki page. Change the table here and in
// docs/architecture.md together.

/**
 * A zone is a part of the repository with its own import rules. `allow` lists the zones (or path prefixes
 * relative to the repository root, ending in '/') that files in the zone may import; a zone may always import
 * itself. `forbidPackages` lists bare module specifiers (exact names or prefixes ending in '*') the zone must not
 * import. `typeOnly` lists zones that may be imported only with `import type`.
 *
 * @typedef {{ allow: string[], forbidPackages?: string[], typeOnly?: string[] }} ZoneRule
 */

/** The sip-core layers, in the order of the table. */
export const SIP_CORE_LAYERS = [
  'common',
  'sip',
  'media',
  'policy',
  'store',
  'ua',
  'emulator',
  'diagnostics',
  'checks',
  'cli',
];

const NODE_IO = [
  'node:net',
  'node:dgram',
  'node:tls',
  'node:fs',
  'node:fs/*',
  'node:child_process',
  'node:http',
];
const NOT_IN_ENGINE = ['electron', 'electron/*', 'react', 'react-dom', 'react-dom/*', 'zustand'];

/** @type {Record<string, ZoneRule>} */
export const ZONES = {
  'sip-core:common': { allow: [], forbidPackages: [...NOT_IN_ENGINE, 'sip.js', 'sip.js/*'] },
  'sip-core:sip': { allow: ['sip-core:common'], forbidPackages: [...NOT_IN_ENGINE, 'sip.js', 'sip.js/*'] },
  'sip-core:media': { allow: ['sip-core:common'], forbidPackages: [...NOT_IN_ENGINE, 'sip.js', 'sip.js/*'] },
  // Policy is pure: it may read the data-only parts of sip (the message model) and media (SDP), never sockets,
  // files or timers, so that the emulator and the softphone can run the very same decision.
  'sip-core:policy': {
    allow: ['sip-core:common', 'sip-core/src/sip/message/', 'sip-core/src/media/sdp/'],
    forbidPackages: [...NOT_IN_ENGINE, ...NODE_IO, 'node:timers', 'node:timers/*', 'sip.js', 'sip.js/*'],
  },
  'sip-core:store': { allow: ['sip-core:common'], forbidPackages: [...NOT_IN_ENGINE, 'sip.js', 'sip.js/*'] },
  'sip-core:ua': {
    allow: ['sip-core:common', 'sip-core:sip', 'sip-core:media', 'sip-core:policy'],
    forbidPackages: NOT_IN_ENGINE,
  },
  // The emulator never borrows the phone's internals: the tester is honest only if the trunk side stands alone.
  'sip-core:emulator': {
    allow: ['sip-core:common', 'sip-core:sip', 'sip-core:media', 'sip-core:policy', 'sip-core:store'],
    forbidPackages: [...NOT_IN_ENGINE, 'sip.js', 'sip.js/*'],
  },
  'sip-core:diagnostics': {
    allow: ['sip-core:common', 'sip-core:sip', 'sip-core:media', 'sip-core:policy', 'sip-core:store'],
    forbidPackages: [...NOT_IN_ENGINE, 'sip.js', 'sip.js/*'],
  },
  'sip-core:checks': {
    allow: [
      'sip-core:common',
      'sip-core:sip',
      'sip-core:media',
      'sip-core:policy',
      'sip-core:store',
      'sip-core:ua',
      'sip-core:emulator',
      'sip-core:diagnostics',
    ],
    forbidPackages: NOT_IN_ENGINE,
  },
  'sip-core:cli': {
    allow: SIP_CORE_LAYERS.map((l) => `sip-core:${l}`).concat('sip-core:index'),
    forbidPackages: NOT_IN_ENGINE,
  },
  'sip-core:index': { allow: SIP_CORE_LAYERS.map((l) => `sip-core:${l}`), forbidPackages: NOT_IN_ENGINE },
  // Tests, benchmarks and the bin launcher may reach anything inside sip-core.
  'sip-core:tooling': {
    allow: SIP_CORE_LAYERS.map((l) => `sip-core:${l}`).concat('sip-core:index', 'sip-core:tooling'),
    forbidPackages: ['electron', 'electron/*', 'react', 'react-dom'],
  },
  'electron:common': { allow: [], forbidPackages: ['electron', 'electron/*', 'node:*'] },
  'electron:host': {
    allow: ['sip-core:index', 'electron:common'],
    forbidPackages: ['electron', 'electron/*', 'react', 'react-dom'],
  },
  'electron:main': { allow: ['electron:host', 'electron:common'] },
  'electron:preload': { allow: ['electron:common'] },
  'electron:web-shell': {
    allow: ['electron:host', 'electron:common'],
    forbidPackages: ['electron', 'electron/*'],
  },
  // Tests of the shells and the host: they compose what the shells compose, and seed stores through sip-core.
  'electron:test': {
    allow: ['electron:host', 'electron:common', 'electron:web-shell', 'electron:main', 'sip-core:index'],
    forbidPackages: ['electron', 'electron/*'],
  },
  renderer: {
    allow: ['electron:common'],
    typeOnly: ['electron:common'],
    forbidPackages: ['node:*', 'electron'],
  },
  // e2e drives the app from outside; it seeds stores with the shells' test fixtures (electron/test/support/).
  e2e: { allow: ['sip-core:index', 'electron:common', 'electron/test/support/'] },
  // Repository tooling (configs, scripts) is outside the product's layering.
  tools: { allow: ['*'] },
};

/**
 * Classifies a path relative to the repository root (forward slashes) into a zone name.
 * @param {string} rel
 * @returns {string}
 */
export function zoneOf(rel) {
  // Specifiers name the emitted '.js' file (NodeNext), so both spellings denote the public surface.
  if (rel === 'sip-core/src/index.ts' || rel === 'sip-core/src/index.js') return 'sip-core:index';
  const core = /^sip-core\/src\/([^/]+)\//.exec(rel);
  if (core) {
    const layer = core[1] ?? '';
    return SIP_CORE_LAYERS.includes(layer) ? `sip-core:${layer}` : 'sip-core:unknown';
  }
  if (/^sip-core\/(test|bench|bin)\//.test(rel)) return 'sip-core:tooling';
  if (rel.startsWith('sip-core/')) return 'sip-core:unknown';
  const shell = /^electron\/([^/]+)\//.exec(rel);
  if (shell) {
    const zone = `electron:${shell[1] ?? ''}`;
    return zone in ZONES ? zone : 'electron:unknown';
  }
  if (rel.startsWith('renderer/')) return 'renderer';
  if (rel.startsWith('e2e/')) return 'e2e';
  return 'tools';
}
