// Runs once before the end-to-end tests: makes sure the browser exists (installing Debian's
// package where it can) and says which version the suite runs against, so a failure after a
// browser update is visible as one.
import { browserVersion, ensureChromium } from '../../scripts/chromium.ts';

export default function setup(): void {
  const chromium = ensureChromium();
  console.log(`\nEnd-to-end tests run against ${browserVersion(chromium)} (${chromium})\n`);
}
