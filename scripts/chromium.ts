// Finds a Chromium to drive, the same way for the tests and the demo: CHROME_PATH, then the usual
// install paths. On a fresh Debian or Ubuntu machine run as root (like CI) it installs Debian's
// Chromium with apt-get, saying so; elsewhere it says exactly what to install.
import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';

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
  const fromEnv = process.env['CHROME_PATH'];
  if (fromEnv) {
    if (!existsSync(fromEnv)) throw new Error(`CHROME_PATH is set to ${fromEnv}, but there is no file there.`);
    return fromEnv;
  }
  return USUAL_PATHS.find((path) => existsSync(path));
}

function canInstallWithApt(): boolean {
  return process.platform === 'linux' && process.getuid?.() === 0 && existsSync('/usr/bin/apt-get') && existsSync('/etc/debian_version');
}

function aptInstall(packages: string[]): void {
  const env = { ...process.env, DEBIAN_FRONTEND: 'noninteractive' };
  execFileSync('apt-get', ['update', '-qq'], { stdio: 'inherit', env });
  execFileSync('apt-get', ['install', '-y', '-qq', '--no-install-recommends', ...packages], { stdio: 'inherit', env });
}

function onPath(binary: string): boolean {
  return spawnSync('sh', ['-c', `command -v ${binary}`], { stdio: 'ignore' }).status === 0;
}

/**
 * Makes sure Xvfb and xdotool exist for the real key-press test (Chrome delivers shortcuts only
 * for real X key events). Installs them with apt-get where it can; false when they are missing.
 */
export function ensureXTools(log: (line: string) => void = (line) => console.log(line)): boolean {
  if (onPath('Xvfb') && onPath('xdotool')) return true;
  if (!canInstallWithApt()) return false;
  log('Installing Xvfb and xdotool with apt-get for the keyboard shortcut test…');
  aptInstall(['xvfb', 'xdotool', 'xauth']);
  return onPath('Xvfb') && onPath('xdotool');
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

/** What `chromium --version` says, e.g. `Chromium 156.0.8078.114 built on Debian…`; 'unknown' if it says nothing. */
export function browserVersion(executable: string): string {
  try {
    return execFileSync(executable, ['--version'], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] }).trim();
  } catch {
    return 'unknown';
  }
}

/** True when an X display is usable (for headed runs and real key presses). */
export function hasDisplay(): boolean {
  const display = process.env['DISPLAY'];
  if (!display) return false;
  return spawnSync('xdpyinfo', ['-display', display], { stdio: 'ignore' }).status === 0 || existsSync(`/tmp/.X11-unix/X${display.replace(/^:/, '').split('.')[0]}`);
}

if (import.meta.url === `file://${process.argv[1]}`) {
  console.log(ensureChromium());
}
