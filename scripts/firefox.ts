// Finds a Firefox to drive for the Firefox end-to-end tests: FIREFOX_PATH, then the usual install
// paths. On a fresh Debian machine run as root (like CI) it installs Debian's Firefox ESR with
// apt-get, saying so; elsewhere it says exactly what to install. The extension needs Firefox 140+
// (the manifest's strict_min_version); puppeteer-core drives it over WebDriver BiDi, so no
// geckodriver is needed.
import { execFileSync } from 'node:child_process';
import { existsSync, readdirSync, realpathSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { GECKO_MIN_VERSION } from '../manifest.gecko.ts';
import { aptInstall, canInstallWithApt, findExecutable } from './system.ts';

export { browserVersion, ensureXTools, hasDisplay } from './system.ts';

// Debian's firefox-esr first: /usr/bin/firefox is a wrapper script on Debian and a snap launcher on
// Ubuntu (a snap's confinement hides the temporary profile directory from it).
const USUAL_PATHS = [
  '/usr/bin/firefox-esr',
  '/usr/lib/firefox-esr/firefox-esr',
  '/usr/lib/firefox/firefox',
  '/opt/firefox/firefox',
  '/usr/bin/firefox',
  '/Applications/Firefox.app/Contents/MacOS/firefox',
];

export function findFirefox(): string | undefined {
  return findExecutable('FIREFOX_PATH', USUAL_PATHS);
}

/** The major version of a Firefox binary (`Mozilla Firefox 153.8.0esr` → 153), undefined if unreadable. */
export function firefoxMajorVersion(executable: string): number | undefined {
  try {
    const text = execFileSync(executable, ['--version'], { encoding: 'utf8', timeout: 30_000, stdio: ['ignore', 'pipe', 'ignore'] });
    const match = /Firefox\s+(\d+)\./.exec(text);
    return match ? Number(match[1]) : undefined;
  } catch {
    return undefined;
  }
}

const MIN_MAJOR = Number.parseInt(GECKO_MIN_VERSION, 10);

function checked(executable: string): string {
  const major = firefoxMajorVersion(executable);
  if (major !== undefined && major < MIN_MAJOR) {
    throw new Error(`${executable} is Firefox ${major}; the extension needs Firefox ${MIN_MAJOR} or newer (strict_min_version). Install a newer Firefox or point FIREFOX_PATH at one.`);
  }
  return executable;
}

/** Returns a Firefox path, installing Debian's firefox-esr first when that is possible here. */
export function ensureFirefox(log: (line: string) => void = (line) => console.log(line)): string {
  const found = findFirefox();
  if (found) return checked(found);
  if (canInstallWithApt()) {
    log('No Firefox found: installing Debian\'s "firefox-esr" package with apt-get (needs network to the Debian mirror)…');
    try {
      aptInstall(['firefox-esr', 'fonts-dejavu-core']);
    } catch (error) {
      // Ubuntu has no firefox-esr package (and its "firefox" is a snap): fall through to the advice.
      log(`apt-get could not install firefox-esr: ${error instanceof Error ? error.message : String(error)}`);
    }
    const installed = findFirefox();
    if (installed) return checked(installed);
  }
  throw new Error(
    `No Firefox found (the extension needs Firefox ${MIN_MAJOR}+). Install one and try again:\n` +
      '  Debian: sudo apt-get install firefox-esr\n' +
      '  Ubuntu: Firefox from Mozilla\'s APT repository (not the snap), or a Firefox tarball in /opt/firefox\n' +
      '  macOS: install Firefox\n' +
      'or point FIREFOX_PATH at a Firefox binary.',
  );
}

/**
 * Firefox answers `chrome.i18n` in its own UI language, which needs that language's pack: Debian's
 * firefox-esr ships English only, and `intl.locale.requested` alone changes nothing. True when
 * the language pack for `language` (a Firefox locale code: de, fr, es-ES, pt-BR, ja) is installed
 * beside `firefox`, installing Debian's firefox-esr-l10n package first where apt-get can.
 */
export function ensureFirefoxLanguage(firefox: string, language: string, log: (line: string) => void = (line) => console.log(line)): boolean {
  const packs = [join(dirname(realpathSync(firefox)), 'browser/extensions'), '/usr/lib/firefox-esr/browser/extensions'];
  const installed = (): boolean => packs.some((dir) => existsSync(dir) && readdirSync(dir).some((file) => file.startsWith(`langpack-${language}@`)));
  if (installed()) return true;
  if (!canInstallWithApt() || !firefox.includes('firefox-esr')) return false;
  const debianPackage = `firefox-esr-l10n-${language.toLowerCase()}`;
  log(`Installing Firefox's ${language} language pack ("${debianPackage}") with apt-get…`);
  try {
    aptInstall([debianPackage]);
  } catch (error) {
    log(`apt-get could not install ${debianPackage}: ${error instanceof Error ? error.message : String(error)}`);
  }
  return installed();
}

if (import.meta.url === `file://${process.argv[1]}`) {
  console.log(ensureFirefox());
}
