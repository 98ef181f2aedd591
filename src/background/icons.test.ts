import { existsSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { iconPaths, toolbarIconFor } from './icons';
import { toolbarLook } from './present';
import type { CallView, ControlStatus, MicView, ProblemCode } from '../shared/view';

const CALL: CallView = { conversationId: 'c1', otherParties: ['Casey'], held: false, muted: false };

function view(status: ControlStatus, extra: Partial<MicView> = {}): MicView {
  return { status, connection: 'live', otherCalls: 0, signingIn: false, ...extra };
}

const problem = (code: ProblemCode) => ({ code, message: 'm' });

describe('the toolbar icon', () => {
  it('is muted when the agent is muted or being muted on a call', () => {
    expect(toolbarIconFor(view('muted', { call: { ...CALL, muted: true } }))).toBe('muted');
    expect(toolbarIconFor(view('pending', { call: CALL, wantMuted: true }))).toBe('muted');
    expect(toolbarIconFor(view('error', { call: { ...CALL, muted: true }, problem: problem('call-gone') }))).toBe('muted');
  });

  it('is unmuted on a live call, while unmuting, after a failed mute and with no call', () => {
    expect(toolbarIconFor(view('live', { call: CALL }))).toBe('unmuted');
    expect(toolbarIconFor(view('pending', { call: { ...CALL, muted: true }, wantMuted: false }))).toBe('unmuted');
    expect(toolbarIconFor(view('error', { call: CALL, problem: problem('not-your-participant') }))).toBe('unmuted');
    expect(toolbarIconFor(view('no-call'))).toBe('unmuted');
    expect(toolbarIconFor(view('no-call', { problem: problem('network'), connection: 'reconnecting' }))).toBe('unmuted');
  });

  it('asks for attention when set-up is missing or sign-in must be redone', () => {
    expect(toolbarIconFor(view('not-configured', { connection: 'signed-out' }))).toBe('attention');
    expect(toolbarIconFor(view('signed-out', { connection: 'signed-out', problem: problem('session-expired') }))).toBe('attention');
    for (const code of ['subscription-rejected', 'wrong-client-id', 'redirect-not-registered'] as const) {
      expect(toolbarIconFor(view('signed-out', { connection: 'signed-out', problem: problem(code) }))).toBe('attention');
    }
    expect(toolbarIconFor(view('no-call', { problem: problem('subscription-rejected') }))).toBe('attention');
  });

  it('stays plain when the agent simply signed out or closed the sign-in window', () => {
    expect(toolbarIconFor(view('signed-out', { connection: 'signed-out' }))).toBe('unmuted');
    expect(toolbarIconFor(view('signed-out', { connection: 'signed-out', problem: problem('sign-in-cancelled') }))).toBe('unmuted');
  });

  it('shows muted over a problem: a muted agent must always see it', () => {
    expect(toolbarIconFor(view('muted', { call: { ...CALL, muted: true }, problem: problem('subscription-rejected') }))).toBe('muted');
  });

  it('is muted exactly when the badge says MUTE', () => {
    const statuses: ControlStatus[] = ['not-configured', 'signed-out', 'no-call', 'live', 'muted', 'pending', 'error'];
    const codes: ProblemCode[] = ['session-expired', 'subscription-rejected', 'network', 'call-gone', 'wrong-client-id'];
    const arbitraryView = fc.record({
      status: fc.constantFrom(...statuses),
      callMuted: fc.option(fc.boolean(), { nil: undefined }),
      wantMuted: fc.option(fc.boolean(), { nil: undefined }),
      code: fc.option(fc.constantFrom(...codes), { nil: undefined }),
    });
    fc.assert(
      fc.property(arbitraryView, ({ status, callMuted, wantMuted, code }) => {
        const v = view(status, {
          ...(callMuted === undefined ? {} : { call: { ...CALL, muted: callMuted } }),
          ...(wantMuted === undefined ? {} : { wantMuted }),
          ...(code === undefined ? {} : { problem: problem(code) }),
        });
        expect(toolbarIconFor(v) === 'muted').toBe(toolbarLook(v).badgeText === 'MUTE');
      }),
    );
  });
});

describe('icon paths', () => {
  it('name the 16 and 32 px files of the variant, which exist in public/', () => {
    for (const variant of ['unmuted', 'muted', 'attention'] as const) {
      const paths = iconPaths(variant);
      expect(paths).toEqual({ 16: `icons/toolbar-${variant}-16.png`, 32: `icons/toolbar-${variant}-32.png` });
      expect(existsSync(`public/${paths[16]}`) && existsSync(`public/${paths[32]}`)).toBe(true);
    }
  });
});
