// Bundles the Electron main process and the preload for `npm start` and `npm run dist`. The preload runs
// sandboxed, where only CommonJS and a few Electron modules load, so it is bundled to one CommonJS file; the
// main process is bundled as ESM with `electron` and the native module left to Node's resolver.
import { build } from 'esbuild';
import { join } from 'node:path';

/**
 * @param {string} root the repository root
 * @returns {Promise<string>} the bundled main entry
 */
export async function buildElectronEntries(root) {
  const outDir = join(root, '.tsbuild', 'electron-app');
  /** @type {import('esbuild').BuildOptions} */
  const common = { bundle: true, platform: 'node', target: 'node20', logLevel: 'warning' };
  await build({
    ...common,
    entryPoints: [join(root, 'electron', 'main', 'main.ts')],
    outfile: join(outDir, 'main.mjs'),
    format: 'esm',
    external: ['electron', 'better-sqlite3'],
    banner: {
      js: "import { createRequire as __cr } from 'node:module'; const require = __cr(import.meta.url);",
    },
    logLevel: 'warning',
  });
  await build({
    entryPoints: [join(root, 'electron', 'preload', 'preload.ts')],
    outfile: join(outDir, 'preload.cjs'),
    bundle: true,
    platform: 'node',
    format: 'cjs',
    target: 'node20',
    external: ['electron'],
    logLevel: 'warning',
  });
  return join(outDir, 'main.mjs');
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const { fileURLToPath } = await import('node:url');
  const { dirname } = await import('node:path');
  const main = await buildElectronEntries(join(dirname(fileURLToPath(import.meta.url)), '..'));
  console.log(`Built ${main}`);
}
