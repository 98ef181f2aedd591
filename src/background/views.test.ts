import { describe, expect, it } from 'vitest';
import { INITIAL_VIEW } from '../shared/view';
import { ViewHub, type ViewerPort } from './views';
import type { ViewPush } from '../shared/messages';

/** A port as the browser gives it: once the other side has gone, touching it throws. */
function port() {
  const posted: ViewPush[] = [];
  const listeners: (() => void)[] = [];
  let gone = false;
  const dead = () => new Error("Failed to read the 'onDisconnect' property from 'Object': Extension context invalidated.");
  const viewer: ViewerPort = {
    postMessage(message) {
      if (gone) throw dead();
      posted.push(message);
    },
    get onDisconnect() {
      if (gone) throw dead();
      return { addListener: (listener: () => void) => void listeners.push(listener) };
    },
  };
  return {
    viewer,
    posted,
    disconnect() {
      gone = true;
      for (const listener of listeners) listener();
    },
  };
}

describe('the view hub', () => {
  it('greets a view and keeps it posted until it goes', () => {
    const hub = new ViewHub();
    const popup = port();
    hub.add(popup.viewer, 'extension', INITIAL_VIEW);
    hub.publish({ ...INITIAL_VIEW, status: 'signed-out' });
    expect(popup.posted.map((push) => push.view.status)).toEqual(['not-configured', 'signed-out']);
    popup.disconnect();
    expect(() => hub.publish({ ...INITIAL_VIEW, status: 'no-call' })).not.toThrow();
  });

  // Found by the soak: a view that closed while a stopped background was starting (the background
  // greets a port only once it is ready) made the background throw an unhandled rejection.
  it('leaves out a view that closed before the background was ready to greet it (found by the soak)', () => {
    const hub = new ViewHub();
    const early = port();
    early.disconnect();
    expect(() => hub.add(early.viewer, 'extension', INITIAL_VIEW)).not.toThrow();
    const later = port();
    hub.add(later.viewer, 'extension', INITIAL_VIEW);
    hub.publish({ ...INITIAL_VIEW, status: 'no-call' });
    expect(later.posted.map((push) => push.view.status)).toEqual(['not-configured', 'no-call']);
  });
});
