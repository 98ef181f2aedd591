// `npm start` is a product path an admin evaluating the extension runs first: its own entry point
// (scripts/demo.ts, after the e2e build `npm test` has just made), headless and in a real window.
import { spawn } from 'node:child_process';
import { resolve } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { ensureXTools } from '../../scripts/chromium.ts';
import { startXvfb, type Xvfb } from '../../scripts/xvfb.ts';

const ROOT = resolve(import.meta.dirname, '../..');
const TSX = resolve(ROOT, 'node_modules/.bin/tsx');

interface DemoRun {
  output: () => string;
  exited: Promise<number | null>;
  kill: (signal: NodeJS.Signals) => void;
}

function runDemo(display: string | undefined, args: string[] = []): DemoRun {
  const env: NodeJS.ProcessEnv = { ...process.env, PORT: '0' };
  if (display === undefined) delete env['DISPLAY'];
  else env['DISPLAY'] = display;
  const child = spawn(TSX, ['scripts/demo.ts', ...args], { cwd: ROOT, env, stdio: ['ignore', 'pipe', 'pipe'] });
  let output = '';
  child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
  child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()));
  return {
    output: () => output,
    exited: new Promise((resolve) => child.on('exit', (code) => resolve(code))),
    kill: (signal) => child.kill(signal),
  };
}

describe('npm start', () => {
  it('without a display: signs in (silently, as the login session lives), mutes on a call, saves a screenshot, exits 0', async () => {
    const demo = runDemo(undefined);
    const code = await demo.exited;
    const output = demo.output();
    expect(output, output).toContain('[demo] Signed in as Avery Agent');
    expect(output).toMatch(/PATCH \/api\/v2\/conversations\/calls\/[0-9a-f-]{36}\/participants\/[0-9a-f-]{36} \{"muted":true\} → muted/);
    expect(output).toContain('artifacts/demo.png');
    expect(code, output).toBe(0);
  }, 120_000);

  it('with --crm and without a display: mutes from the control in the CRM page’s Genesys frame, saves a screenshot, exits 0', async () => {
    const demo = runDemo(undefined, ['--crm']);
    const code = await demo.exited;
    const output = demo.output();
    expect(output, output).toMatch(/A CRM page at http:\/\/crm\.localhost:\d+ frames Genesys's embedded client/);
    expect(output).toMatch(/Clicked "Mute microphone" in the CRM's Genesys frame: PATCH \/api\/v2\/conversations\/calls\/[0-9a-f-]{36}\/participants\/[0-9a-f-]{36} \{"muted":true\} → muted/);
    expect(output).toContain('artifacts/demo-crm.png');
    expect(code, output).toBe(0);
  }, 120_000);

  const xTools = ensureXTools();
  let xvfb: Xvfb | undefined;
  afterAll(() => xvfb?.stop());

  it.runIf(xTools)('with a display: opens a window on a call ready to mute, and stops cleanly on Ctrl+C', async () => {
    xvfb = await startXvfb();
    const demo = runDemo(xvfb.display);
    await expect.poll(() => demo.output(), { timeout: 90_000, interval: 200 }).toContain('Ctrl+C to stop');
    expect(demo.output()).toContain('[demo] Signed in as Avery Agent');
    demo.kill('SIGINT');
    expect(await demo.exited, demo.output()).toBe(0);
    expect(demo.output()).toContain('[demo] Stopped.');
  }, 120_000);
});
