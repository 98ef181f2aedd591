import { afterEach, describe, expect, it, vi } from 'vitest';
import { ask, LocalMuteIntent } from './client';
import type { ControlView } from './view';

afterEach(() => vi.unstubAllGlobals());

/** The extension was updated or reloaded under this view: every runtime call throws at once. */
function orphaned(): void {
  vi.stubGlobal('chrome', {
    runtime: {
      get id() {
        return undefined;
      },
      sendMessage: () => {
        throw new Error('Extension context invalidated.');
      },
    },
  });
}

const read = (value: unknown) => value as ControlView | undefined;

describe('asking the background', () => {
  // Found by the soak: the agent clicked the page control in the moment between an extension
  // reload and the old control removing itself; sendMessage threw, uncaught in the content script.
  it('turns a browser that throws at once into a rejection (found by the soak)', async () => {
    orphaned();
    await expect(ask({ type: 'get-view' })).rejects.toThrow('Extension context invalidated');
  });

  it('a click on an orphaned control settles instead of throwing', async () => {
    orphaned();
    const answers: (ControlView | undefined)[] = [];
    const intent = new LocalMuteIntent<ControlView>('page', read, (answer) => answers.push(answer));
    expect(() => intent.set(true)).not.toThrow();
    await new Promise((resolve) => setTimeout(resolve, 0));
    expect(answers).toEqual([undefined, undefined]); // the click, then no answer: the view shows the truth again
    expect(intent.apply({ status: 'live' })).toEqual({ status: 'live' });
  });
});
