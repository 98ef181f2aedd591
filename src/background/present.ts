// Pure derivation of what every view shows, the toolbar badge and the icon title.
import { controlledCall, type CallsState } from './calls';
import type { CallView, Connection, ControlStatus, MicView, Nudge, ProblemView, SpeakingCheck } from '../shared/view';
import { mutedOnCall, toolbarIconFor, type ToolbarIcon } from './icons';
import { t } from '../shared/i18n';

export interface WorkerSnapshot {
  configured: boolean;
  signedIn: boolean;
  signingIn: boolean;
  connection: Connection;
  agentName?: string;
  calls: CallsState;
  wanted?: boolean;
  /** A problem from the intent path (mute failed) or from sign-in / connection. */
  problem?: ProblemView;
  agentDesktopOrigin?: string;
  /** What the speaking-while-muted warning says now (features.ts), shown only while muted on a call. */
  nudge?: Nudge;
  speakingCheck?: SpeakingCheck;
}

export function present(snapshot: WorkerSnapshot): MicView {
  const controlled = controlledCall(snapshot.calls);
  const all = [...snapshot.calls.calls.values()];
  // With no call to control, still show a held call so the agent knows why the button is off.
  const shown = controlled ?? all.find((call) => call.agentLeg.held);
  const call: CallView | undefined = shown && {
    conversationId: shown.conversationId,
    otherParties: shown.otherParties,
    held: shown.agentLeg.held,
    muted: shown.agentLeg.muted,
    ...(shown.agentLeg.connectedAt ? { connectedAt: shown.agentLeg.connectedAt } : {}),
    ...(shown.agentLeg.muted && shown.agentLeg.mutedAt !== undefined ? { mutedAt: shown.agentLeg.mutedAt } : {}),
  };
  let status: ControlStatus;
  if (!snapshot.configured) status = 'not-configured';
  else if (!snapshot.signedIn) status = 'signed-out';
  else if (!controlled) status = 'no-call';
  else if (snapshot.wanted !== undefined) status = 'pending';
  else if (snapshot.problem && isIntentProblem(snapshot.problem)) status = 'error';
  else status = controlled.agentLeg.muted ? 'muted' : 'live';
  const view: MicView = {
    status,
    connection: snapshot.signedIn ? snapshot.connection : 'signed-out',
    otherCalls: all.length - (shown ? 1 : 0),
    signingIn: snapshot.signingIn,
  };
  if (snapshot.agentName !== undefined && snapshot.signedIn) view.agentName = snapshot.agentName;
  if (call) view.call = call;
  if (status === 'pending') view.wantMuted = snapshot.wanted;
  if (snapshot.problem) view.problem = snapshot.problem;
  if (snapshot.agentDesktopOrigin) view.agentDesktopOrigin = snapshot.agentDesktopOrigin;
  if (snapshot.nudge && mutedOnCall(view)) view.nudge = snapshot.nudge;
  if (snapshot.speakingCheck && snapshot.signedIn) view.speakingCheck = snapshot.speakingCheck;
  return view;
}

const INTENT_PROBLEMS = new Set(['not-your-participant', 'call-gone', 'rate-limited', 'server-error', 'network', 'not-confirmed']);

function isIntentProblem(problem: ProblemView): boolean {
  return INTENT_PROBLEMS.has(problem.code);
}

/** Amber, unlike the usual red, so a glance at the toolbar tells the warning from the plain mute. */
export const NUDGE_BADGE_COLOR = '#b45309';

export interface ToolbarLook {
  badgeText: string;
  badgeColor: string;
  title: string;
  icon: ToolbarIcon;
}

/**
 * The badge says MUTE only when the agent is muted (or being muted) on a call, and nothing otherwise:
 * admins and outside tools rely on that rule. The title says the state in words.
 */
export function toolbarLook(view: MicView): ToolbarLook {
  const badgeText = mutedOnCall(view) ? 'MUTE' : '';
  const parties = view.call && view.call.otherParties.length > 0 ? view.call.otherParties.join(', ') : undefined;
  const words: Record<MicView['status'], string> = {
    'not-configured': t('toolbarSetupNeeded'),
    'signed-out': t(view.problem?.code === 'session-expired' ? 'statusSignInAgain' : 'statusSignedOut'),
    'no-call': t(view.call?.held ? 'statusOnHold' : 'noActiveCall'),
    live: parties !== undefined ? t('toolbarLiveWith', parties) : t('toolbarLive'),
    muted: parties !== undefined ? t('toolbarMutedWith', parties) : t('statusMuted'),
    pending: view.wantMuted
      ? parties !== undefined ? t('toolbarMutingWith', parties) : t('statusMuting')
      : parties !== undefined ? t('toolbarUnmutingWith', parties) : t('statusUnmuting'),
    error: `${view.problem?.message ?? t('toolbarMuteFailed')}`,
  };
  // The warning keeps the MUTE badge (a stable interface) and says it in the title and the colour.
  if (view.nudge === 'speaking-while-muted' && badgeText !== '') {
    return { badgeText, badgeColor: NUDGE_BADGE_COLOR, icon: toolbarIconFor(view), title: t('toolbarTitle', t('toolbarSpeakingWhileMuted')) };
  }
  return { badgeText, badgeColor: '#b3261e', icon: toolbarIconFor(view), title: t('toolbarTitle', words[view.status]) };
}
