// Runs once before the Firefox end-to-end tests: makes sure Firefox exists (installing Debian's
// firefox-esr where it can) and says which version the suite runs against, so a failure after a
// browser update is visible as one.
import { browserVersion, ensureFirefox } from '../../scripts/firefox.ts';

export default function setup(): void {
  const firefox = ensureFirefox();
  console.log(`\nFirefox end-to-end tests run against ${browserVersion(firefox)} (${firefox})\n`);
}
