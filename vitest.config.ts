import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vitest/config';

// Unit tests run in Node; end-to-end tests (test/e2e) drive real Chromium and (test/e2e-firefox)
// Firefox, and run one file at a time because each starts its own browser and emulator.
export default defineConfig({
  resolve: { alias: { '@platform': fileURLToPath(new URL('./src/platform/chrome.ts', import.meta.url)) } },
  define: { 'import.meta.env.VITE_ACCEPT_LOOPBACK': JSON.stringify('true') },
  test: {
    projects: [
      {
        extends: true,
        test: {
          name: 'unit',
          include: ['src/**/*.test.ts', 'src/**/*.test.tsx', 'emulator/**/*.test.ts', 'scripts/**/*.test.ts', 'fleet/**/*.test.ts'],
          // Node has no chrome.i18n: answer it from public/_locales/en.
          setupFiles: ['test/setup-i18n.ts'],
        },
      },
      {
        extends: true,
        test: {
          name: 'e2e',
          include: ['test/e2e/**/*.test.ts'],
          globalSetup: ['test/e2e/global-setup.ts'],
          fileParallelism: false,
          testTimeout: 60_000,
          // Chrome's first read of policy storage after start takes seconds; CI machines are shared.
          expect: { poll: { timeout: 8_000, interval: 50 } },
          hookTimeout: 120_000,
        },
      },
      {
        extends: true,
        test: {
          // Real Firefox ESR with dist-firefox-e2e/ (npm run build:firefox:e2e), one file at a time.
          name: 'e2e-firefox',
          include: ['test/e2e-firefox/**/*.test.ts'],
          globalSetup: ['test/e2e-firefox/global-setup.ts'],
          fileParallelism: false,
          testTimeout: 60_000,
          expect: { poll: { timeout: 8_000, interval: 50 } },
          hookTimeout: 120_000,
        },
      },
    ],
  },
});
