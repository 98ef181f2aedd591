import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vite';
import { crx } from '@crxjs/vite-plugin';
import manifest, { isE2eMode, isFirefoxMode } from './manifest.config.ts';

/** Where each mode writes its build. */
const OUT_DIRS: Record<string, string> = {
  e2e: 'dist-e2e',
  firefox: 'dist-firefox',
  'firefox-e2e': 'dist-firefox-e2e',
};

// `vite build` writes the store build to dist/; `vite build --mode e2e` writes dist-e2e/, which also
// accepts a loopback origin as the environment (the bundled emulator). `--mode firefox` and
// `--mode firefox-e2e` are the same two for Firefox (dist-firefox/, dist-firefox-e2e/).
export default defineConfig(({ mode }) => {
  const firefox = isFirefoxMode(mode);
  return {
    plugins: [
      crx({
        manifest,
        browser: firefox ? 'firefox' : 'chrome',
        // One self-contained script: no loader importing chunks the page could also import (they
        // would have to be web-accessible, which lets any agent desktop page detect the extension),
        // and no dynamic import before the control mounts.
        contentScripts: { standaloneFiles: ['src/content/index.tsx'] },
      }),
    ],
    // The platform seam (src/platform/types.ts): one implementation per browser, chosen here.
    resolve: { alias: { '@platform': fileURLToPath(new URL(`./src/platform/${firefox ? 'firefox' : 'chrome'}.ts`, import.meta.url)) } },
    define: {
      'import.meta.env.VITE_ACCEPT_LOOPBACK': JSON.stringify(isE2eMode(mode) ? 'true' : 'false'),
    },
    build: {
      outDir: OUT_DIRS[mode] ?? 'dist',
      emptyOutDir: true,
      // Firefox: the manifest's strict_min_version (GECKO_MIN_VERSION).
      target: firefox ? 'firefox140' : 'chrome116',
      minify: true,
      sourcemap: false,
      modulePreload: false,
      // Pages the manifest does not name, so crxjs would not build them on its own. Firefox has no
      // offscreen documents, so its builds leave that page out.
      rollupOptions: firefox ? {} : { input: { offscreen: 'src/offscreen/index.html' } },
    },
  };
});
