// What the browser finders (chromium.ts, firefox.ts) share: installing Debian packages with apt-get
// where this machine allows it (Debian or Ubuntu, as root, like CI), and the X tools for real
// key presses. Elsewhere the callers say what to install instead.
import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';

/** True on Debian or Ubuntu run as root, where apt-get can install what is missing. */
export function canInstallWithApt(): boolean {
  return process.platform === 'linux' && process.getuid?.() === 0 && existsSync('/usr/bin/apt-get') && existsSync('/etc/debian_version');
}

/** apt-get update, then installs the packages without recommends (needs the Debian mirror). */
export function aptInstall(packages: string[]): void {
  const env = { ...process.env, DEBIAN_FRONTEND: 'noninteractive' };
  execFileSync('apt-get', ['update', '-qq'], { stdio: 'inherit', env });
  execFileSync('apt-get', ['install', '-y', '-qq', '--no-install-recommends', ...packages], { stdio: 'inherit', env });
}

export function onPath(binary: string): boolean {
  return spawnSync('sh', ['-c', `command -v ${binary}`], { stdio: 'ignore' }).status === 0;
}

/** The first of `paths` that exists, or the file `envVar` names (which must then exist). */
export function findExecutable(envVar: string, paths: readonly string[]): string | undefined {
  const fromEnv = process.env[envVar];
  if (fromEnv) {
    if (!existsSync(fromEnv)) throw new Error(`${envVar} is set to ${fromEnv}, but there is no file there.`);
    return fromEnv;
  }
  return paths.find((path) => existsSync(path));
}

/**
 * Makes sure Xvfb and xdotool exist for the real key-press tests (browsers deliver shortcuts only
 * for real X key events). Installs them with apt-get where it can; false when they are missing.
 */
export function ensureXTools(log: (line: string) => void = (line) => console.log(line)): boolean {
  if (onPath('Xvfb') && onPath('xdotool')) return true;
  if (!canInstallWithApt()) return false;
  log('Installing Xvfb and xdotool with apt-get for the keyboard shortcut test…');
  aptInstall(['xvfb', 'xdotool', 'xauth']);
  return onPath('Xvfb') && onPath('xdotool');
}

/** What `<browser> --version` says, e.g. `Chromium 156.0.8078.114 built on Debian…`; 'unknown' if it says nothing. */
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
