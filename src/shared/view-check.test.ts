import { describe, expect, it } from 'vitest';
import { readControlView, readMicView } from './view-check';
import { controlViewOf, type MicView } from './view';

const muting: MicView = {
  status: 'pending',
  connection: 'live',
  agentName: 'Avery Agent',
  call: { conversationId: 'c1', otherParties: ['Casey'], held: false, muted: true, connectedAt: '2026-11-30T10:00:00Z' },
  otherCalls: 0,
  wantMuted: false,
  agentDesktopOrigin: 'https://apps.mypurecloud.ie',
  position: { x: 16, y: 40 },
  signingIn: false,
};

describe('views check what the background pushes', () => {
  it('accept every view the background makes, false values included', () => {
    expect(readMicView(muting)).toEqual(muting);
    expect(readControlView(controlViewOf(muting))).toEqual(controlViewOf(muting));
    expect(readControlView({ status: 'muted', call: { held: false, muted: true }, wantMuted: false })).toEqual({
      status: 'muted',
      call: { held: false, muted: true },
      wantMuted: false,
    });
  });

  it('give the page control nothing about who is on the call', () => {
    const control = controlViewOf(muting);
    expect(JSON.stringify(control)).not.toContain('Casey');
    expect(JSON.stringify(control)).not.toContain('Avery');
    expect(JSON.stringify(control)).not.toContain('c1');
  });

  it.each([
    ['not an object', 'live'],
    ['an unknown status', { ...muting, status: 'sort-of' }],
    ['a mistyped wantMuted', { ...muting, wantMuted: 'no' }],
    ['a call without muted', { ...muting, call: { held: false } }],
    ['a problem without words', { ...muting, problem: { code: 'network' } }],
  ])('reject %s', (_what, value) => {
    expect(readControlView(value)).toBeUndefined();
    expect(readMicView(value)).toBeUndefined();
  });

  it('reject an extension-page view that lacks its own fields', () => {
    expect(readMicView(controlViewOf(muting))).toBeUndefined();
    expect(readMicView({ ...muting, call: { ...muting.call, otherParties: [3] } })).toBeUndefined();
  });
});
