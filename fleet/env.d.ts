// The fleet runs the extension's own modules, which read Vite's build-time constants
// (tsconfig.json has these types; tsconfig.node.json also takes src/types for the SDK's region table).
/// <reference types="vite/client" />
