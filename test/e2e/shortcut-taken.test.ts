// Shortcut discovery: when another extension already holds Alt+Shift+M, Chrome leaves
// ours unassigned; the popup and Settings say so and how to fix it.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { signInThroughPopup, startRig, type Rig } from './harness.ts';

let rig: Rig;
const other = mkdtempSync(join(tmpdir(), 'gmc-other-extension-'));

beforeAll(async () => {
  const manifest = { manifest_version: 3, name: 'Another extension', version: '1.0', commands: { grab: { suggested_key: { default: 'Alt+Shift+M' }, description: 'Grab' } } };
  writeFileSync(join(other, 'manifest.json'), JSON.stringify(manifest));
  rig = await startRig({ otherExtensions: [other] });
});

afterAll(async () => {
  await rig?.close();
  rmSync(other, { recursive: true, force: true });
});

describe('a shortcut another extension holds', () => {
  it('is left unassigned by Chrome', async () => {
    const commands = await rig.worker.evaluate(() => chrome.commands.getAll());
    expect(commands.find((command) => command.name === 'toggle-mute')?.shortcut).toBe('');
  });

  it('is reported in Settings with what to do', async () => {
    const options = await rig.extensionPage('options');
    const shortcut = options.getByTestId('shortcut');
    await expect.poll(() => shortcut.textContent()).toContain('Not set');
    expect(await shortcut.textContent()).toMatch(/Your browser did not assign Alt\+Shift\+M: another extension may use it/);
    await expect(shortcut.getByRole('button', { name: 'Change shortcut' }).count()).resolves.toBe(1);
    // Chrome has "Global" shortcuts: Settings says how to make this one work from any application.
    expect(await options.getByTestId('shortcut-hint').textContent()).toMatch(/set this shortcut’s scope to Global/);
  });

  it('is reported in the popup too', async () => {
    const popup = await signInThroughPopup(rig);
    await expect.poll(() => popup.getByTestId('shortcut').textContent()).toMatch(/Not set.*Your browser did not assign Alt\+Shift\+M/);
  });
});
