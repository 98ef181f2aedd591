// A private X display for the things that need a real window: Chrome and Firefox deliver extension
// shortcuts only for real key events, and `npm start` shows a window when a display exists.
import { execFileSync, spawn } from 'node:child_process';
import { existsSync } from 'node:fs';

export interface Xvfb {
  /** e.g. `:93` */
  display: string;
  stop(): void;
}

/** Starts Xvfb on a display number nobody uses, so nothing ever types into someone's real desktop. */
export async function startXvfb(): Promise<Xvfb> {
  let number = 90 + Math.floor(Math.random() * 100);
  while (existsSync(`/tmp/.X11-unix/X${number}`)) number += 1;
  const display = `:${number}`;
  const server = spawn('Xvfb', [display, '-screen', '0', '1280x900x24', '-nolisten', 'tcp'], { stdio: 'ignore' });
  for (let i = 0; i < 50 && !existsSync(`/tmp/.X11-unix/X${number}`); i++) await new Promise((resolve) => setTimeout(resolve, 100));
  if (!existsSync(`/tmp/.X11-unix/X${number}`)) {
    server.kill();
    throw new Error(`Xvfb did not start on ${display}.`);
  }
  return { display, stop: () => server.kill() };
}

/** Types `keys` (xdotool syntax, e.g. `alt+shift+m`) on `display` as a real key press. */
export function pressKeys(display: string, keys: string): void {
  execFileSync('xdotool', ['key', '--clearmodifiers', keys], { env: { ...process.env, DISPLAY: display } });
}

/** Runs `start` with DISPLAY set to `display`, for a browser launched inside it. */
export async function onDisplay<T>(display: string, start: () => Promise<T>): Promise<T> {
  const previous = process.env['DISPLAY'];
  process.env['DISPLAY'] = display;
  try {
    return await start();
  } finally {
    if (previous === undefined) delete process.env['DISPLAY'];
    else process.env['DISPLAY'] = previous;
  }
}
