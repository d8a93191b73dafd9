// Bundles the shells' Node entry points with esbuild: browser mode's server (`npm run serve`, `npm start`'s
// fallback, the e2e suite) and the Electron main process and preload (`npm start` with Electron, `npm run dist`).
// A bundle starts in about half the time of running the TypeScript through tsx (`npm run bench:app`). The preload
// runs sandboxed, where only CommonJS loads, so it is bundled to one CommonJS file; `better-sqlite3` (native) and
// `electron` stay outside every bundle, resolved by Node at run time. The CDR writer thread's module
// (sip-core/src/store/cdr-write-worker.ts, docs/adr/0158) is bundled beside each Node entry, where the bundled
// `CdrWriteThread` looks for it.
//   node scripts/build-shells.mjs [web-shell | electron | all]
import { build } from 'esbuild';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

/** @type {import('esbuild').BuildOptions} */
const COMMON = { bundle: true, platform: 'node', target: 'node20', logLevel: 'warning' };
/** ESM bundles that contain CommonJS dependencies need a `require`. */
const ESM_REQUIRE = {
  js: "import { createRequire as __cr } from 'node:module'; const require = __cr(import.meta.url);",
};

/**
 * The CDR writer thread's module, bundled to `cdr-write-worker.mjs` in `outDir`.
 * @param {string} root the repository root
 * @param {string} outDir the folder of the bundle that starts the thread
 */
async function buildCdrWriteWorker(root, outDir) {
  await build({
    ...COMMON,
    entryPoints: [join(root, 'sip-core', 'src', 'store', 'cdr-write-worker.ts')],
    outfile: join(outDir, 'cdr-write-worker.mjs'),
    format: 'esm',
    external: ['better-sqlite3'],
    banner: ESM_REQUIRE,
  });
}

/**
 * @param {string} root the repository root
 * @returns {Promise<string>} the bundled server entry
 */
export async function buildWebShell(root) {
  const outfile = join(root, '.tsbuild', 'web-shell', 'serve.mjs');
  await build({
    ...COMMON,
    entryPoints: [join(root, 'electron', 'web-shell', 'serve.ts')],
    outfile,
    format: 'esm',
    external: ['better-sqlite3'],
    banner: ESM_REQUIRE,
  });
  await buildCdrWriteWorker(root, dirname(outfile));
  return outfile;
}

/**
 * @param {string} root the repository root
 * @returns {Promise<string>} the bundled main entry
 */
export async function buildElectronEntries(root) {
  const outDir = join(root, '.tsbuild', 'electron-app');
  await build({
    ...COMMON,
    entryPoints: [join(root, 'electron', 'main', 'main.ts')],
    outfile: join(outDir, 'main.mjs'),
    format: 'esm',
    external: ['electron', 'better-sqlite3'],
    banner: ESM_REQUIRE,
  });
  await buildCdrWriteWorker(root, outDir);
  await build({
    ...COMMON,
    entryPoints: [join(root, 'electron', 'preload', 'preload.ts')],
    outfile: join(outDir, 'preload.cjs'),
    format: 'cjs',
    external: ['electron'],
  });
  return join(outDir, 'main.mjs');
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const root = join(dirname(fileURLToPath(import.meta.url)), '..');
  const what = process.argv[2] ?? 'all';
  if (what === 'web-shell' || what === 'all') console.log(`Built ${await buildWebShell(root)}`);
  if (what === 'electron' || what === 'all') console.log(`Built ${await buildElectronEntries(root)}`);
}
