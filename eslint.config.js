// `npm run lint` (part of `npm test`). ESLint with typescript-eslint's recommended rules; three typed
// rules (floating and misused promises, exhaustive switches) over all TypeScript; the browser APIs
// that differ between Chrome and Firefox are reached only through the platform seam (src/platform/),
// so no feature names a browser; and the layers of src/ on imports (below).
import js from '@eslint/js';
import globals from 'globals';
import tseslint from 'typescript-eslint';

/**
 * The layers of src/: a relative import of any of `folders` (a path segment of that name) is
 * refused with `why`, so a violation says which layer rule it breaks. no-restricted-imports does
 * not see `import()`: no-restricted-syntax refuses those (`\x2F` is a slash esquery can parse).
 */
const layer = (folders, why) => {
  const regex = `^\\.{1,2}/(?:.*/)?(?:${folders.join('|')})(?:/|$)`;
  return {
    'no-restricted-imports': ['error', { patterns: [{ regex, message: why }] }],
    'no-restricted-syntax': ['error', { selector: `ImportExpression[source.value=/${regex.replaceAll('/', '\\x2F')}/]`, message: why }],
  };
};
const ABOVE_BASE = ['background', 'content', 'popup', 'options', 'offscreen'];

/** Browser APIs only src/platform/ may call; each entry says where to go instead. */
const PLATFORM_ONLY = [
  ['offscreen', 'Chrome only: play sounds and reach the microphone through the platform seam.'],
  ['identity', 'The redirect URI and the web auth flow differ per browser: use the platform seam.'],
  ['action', 'The toolbar button is the platform seam’s `toolbar`.'],
].map(([property, message]) => ({ object: 'chrome', property, message }));

export default tseslint.config(
  { ignores: ['dist*/**', 'release/**', 'artifacts/**', 'node_modules/**', 'bench/results.json'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    languageOptions: {
      globals: { ...globals.browser, ...globals.node, chrome: 'readonly' },
      // Typed linting: src/ (and the vite and manifest configs) are tsconfig.json's; emulator/,
      // test/, scripts/, bench/, fleet/ and vitest.config.ts are tsconfig.node.json's.
      parserOptions: {
        project: ['./tsconfig.json', './tsconfig.node.json'],
        tsconfigRootDir: import.meta.dirname,
      },
    },
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_', caughtErrors: 'none' }],
      // A `catch {}` that says why it swallows is how this codebase marks "nothing to do".
      'no-empty': ['error', { allowEmptyCatch: true }],
      eqeqeq: ['error', 'always'],
    },
  },
  {
    files: ['**/*.{ts,tsx,mts,cts}'],
    rules: {
      // A promise nobody awaits loses its error: await it, or `void` it where fire-and-forget is
      // meant and its errors are handled.
      '@typescript-eslint/no-floating-promises': 'error',
      // An async function where a void callback is expected (a listener) drops its rejection.
      '@typescript-eslint/no-misused-promises': 'error',
      // Every case of a union is handled, or the default says why it is not needed.
      '@typescript-eslint/switch-exhaustiveness-check': 'error',
    },
  },
  // The layers. src/shared and src/platform are what every context builds on: they import nothing
  // from a context (platform may import shared). The views and the background are separate bundles
  // that talk only over runtime messages and ports, so neither imports the other (the offscreen
  // document likewise: it obeys the background's messages, and shares code only through shared/).
  {
    files: ['src/shared/**'],
    rules: layer(ABOVE_BASE, 'Layer rule: src/shared imports nothing above it (background, views, offscreen): every context builds on it. Move what it needs into src/shared.'),
  },
  {
    files: ['src/platform/**'],
    rules: layer(ABOVE_BASE, 'Layer rule: src/platform imports nothing above it (background, views, offscreen), only src/shared: the seam says what a browser provides, the contexts build on it. Move the type into platform/types.ts or src/shared.'),
  },
  {
    files: ['src/content/**', 'src/popup/**', 'src/options/**'],
    rules: layer(['background', 'offscreen'], 'Layer rule: a view (content, popup, options) never imports the background (or the offscreen document): it renders what the background pushes and sends intents over messages. Share code through src/shared.'),
  },
  {
    files: ['src/background/**'],
    rules: layer(['content', 'popup', 'options', 'offscreen'], 'Layer rule: the background never imports a view (content, popup, options) or the offscreen document: it talks to them over messages and ports. Share code through src/shared.'),
  },
  {
    files: ['src/offscreen/**'],
    rules: layer(['background', 'content', 'popup', 'options'], 'Layer rule: the offscreen document imports no other context: it obeys the background over messages. Share code through src/shared.'),
  },
  // This file and any other JavaScript belong to no tsconfig: no type information to lint with.
  { files: ['**/*.{js,mjs,cjs}'], ...tseslint.configs.disableTypeChecked },
  {
    files: ['src/**/*.{ts,tsx}'],
    ignores: ['src/platform/**', 'src/**/*.test.ts'],
    rules: {
      'no-restricted-properties': ['error', ...PLATFORM_ONLY],
      'no-restricted-globals': ['error', { name: 'browser', message: 'Use chrome.* (promises in Chrome 116+ and Firefox 140+), or the platform seam.' }],
    },
  },
);
