import react from '@vitejs/plugin-react';
import { defineConfig } from 'vite';

// The renderer's build (docs/adr/0132-vite-for-the-renderer.md). Relative asset URLs (`base: './'`), so the same
// bundle loads from browser mode's http://127.0.0.1:<port>/ and from Electron's trunkline-app://app/.
export default defineConfig({
  root: 'renderer',
  base: './',
  plugins: [react()],
  build: {
    outDir: 'dist',
    emptyOutDir: true,
    // No inline scripts or styles: the CSP allows neither.
    assetsInlineLimit: 0,
    modulePreload: { polyfill: false },
    sourcemap: false,
    target: 'es2022',
  },
});
