// Finds a Chromium to drive, the same way for the tests and the demo: CHROME_PATH, then the usual
// install paths. On a fresh Debian or Ubuntu machine run as root (like CI) it installs Debian's
// Chromium with apt-get, saying so; elsewhere it says exactly what to install.
import { aptInstall, canInstallWithApt, findExecutable } from './system.ts';

export { browserVersion, ensureXTools, hasDisplay } from './system.ts';

const USUAL_PATHS = [
  '/usr/bin/chromium',
  '/usr/bin/chromium-browser',
  '/usr/bin/google-chrome',
  '/usr/bin/google-chrome-stable',
  '/snap/bin/chromium',
  '/Applications/Chromium.app/Contents/MacOS/Chromium',
  '/Applications/Google Chrome.app/Contents/MacOS/Google Chrome',
];

export function findChromium(): string | undefined {
  return findExecutable('CHROME_PATH', USUAL_PATHS);
}

/** Returns a Chromium path, installing Debian's package first when that is possible here. */
export function ensureChromium(log: (line: string) => void = (line) => console.log(line)): string {
  const found = findChromium();
  if (found) return found;
  if (canInstallWithApt()) {
    log('No Chromium found: installing Debian\'s "chromium" package with apt-get (needs network to the Debian mirror)…');
    aptInstall(['chromium', 'fonts-dejavu-core']);
    const installed = findChromium();
    if (installed) return installed;
  }
  throw new Error(
    'No Chromium or Chrome found. Install one and try again:\n' +
      '  Debian/Ubuntu: sudo apt-get install chromium (Ubuntu: chromium-browser)\n' +
      '  macOS: install Google Chrome or Chromium\n' +
      'or point CHROME_PATH at a Chrome/Chromium binary.',
  );
}

if (import.meta.url === `file://${process.argv[1]}`) {
  console.log(ensureChromium());
}
