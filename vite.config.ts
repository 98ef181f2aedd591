import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vite';
import { crx } from '@crxjs/vite-plugin';
import manifest from './manifest.config.ts';

// `vite build` writes the store build to dist/; `vite build --mode e2e` writes dist-e2e/, which also
// accepts a loopback origin as the environment (the bundled emulator).
export default defineConfig(({ mode }) => ({
  plugins: [crx({ manifest })],
  // The platform seam (src/platform/types.ts): one implementation per browser, chosen here.
  resolve: { alias: { '@platform': fileURLToPath(new URL('./src/platform/chrome.ts', import.meta.url)) } },
  define: {
    'import.meta.env.VITE_ACCEPT_LOOPBACK': JSON.stringify(mode === 'e2e' ? 'true' : 'false'),
  },
  build: {
    outDir: mode === 'e2e' ? 'dist-e2e' : 'dist',
    emptyOutDir: true,
    target: 'chrome116',
    minify: true,
    sourcemap: false,
    modulePreload: false,
    // Pages the manifest does not name, so crxjs would not build them on its own.
    rollupOptions: { input: { offscreen: 'src/offscreen/index.html' } },
  },
}));
