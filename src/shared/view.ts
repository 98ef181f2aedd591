// What the background tells the views. Extension pages (popup, options) get the whole `MicView`;
// the page control on the agent desktop gets a `ControlView`: only what the control shows, nothing
// about who is on the call. Views render this and nothing else: never the token, the socket or
// raw Genesys payloads. Both shapes are checked when they arrive (view-check.ts).
import type { Position } from './position';

/** The background's link to Genesys's notification socket, in the words the popup shows. */
export type Connection = 'signed-out' | 'connecting' | 'live' | 'reconnecting' | 'offline';

/** What the mute control shows. One value so every view agrees on it. */
export type ControlStatus =
  | 'not-configured' // no region or client id yet
  | 'signed-out'
  | 'no-call' // signed in, nothing to mute
  | 'live' // on a call, microphone open
  | 'muted' // on a call, muted (confirmed by Genesys)
  | 'pending' // an intent is on its way; `wantMuted` says which way
  | 'error'; // the last intent failed; `problem` says why

export interface ProblemView {
  /** Stable code for tests and docs; `message` is for the agent. */
  code: ProblemCode;
  message: string;
}

export type ProblemCode =
  | 'not-configured'
  | 'sign-in-cancelled'
  | 'sign-in-failed'
  | 'wrong-client-id'
  | 'redirect-not-registered'
  | 'network'
  | 'session-expired'
  | 'not-your-participant'
  | 'call-gone'
  | 'rate-limited'
  | 'subscription-rejected'
  | 'server-error'
  | 'not-confirmed';

/** The call as the page control knows it. */
export interface ControlCall {
  held: boolean;
  /** The agent's mute as Genesys last confirmed it. */
  muted: boolean;
  /**
   * While muted: when Genesys confirmed the mute (epoch ms). Sent once; the views count the time
   * since it themselves, so no message goes out every second.
   */
  mutedAt?: number;
}

/**
 * Something the agent should notice now. `speaking-while-muted`: the agent seems to be talking
 * while muted (the optional warning, issue 10).
 */
export type Nudge = 'speaking-while-muted';

/** Why the optional speaking-while-muted warning cannot listen, though it is turned on. */
export type SpeakingCheck = 'no-permission' | 'unsupported';

export interface CallView extends ControlCall {
  conversationId: string;
  /** Who else is on the call, by name or number. */
  otherParties: string[];
  /** When the agent's leg connected (ISO 8601), if Genesys said. */
  connectedAt?: string;
}

/** What the page control on the agent desktop gets. */
export interface ControlView {
  status: ControlStatus;
  /** The call the control acts on (or a held one, so the agent sees why it is off). */
  call?: ControlCall;
  /** Set while an intent is pending: the state the agent asked for. */
  wantMuted?: boolean;
  /** The last problem worth telling the agent about; cleared when it no longer applies. */
  problem?: ProblemView;
  /** Origin of the configured agent desktop (`https://apps.<domain>`), where the page control shows. */
  agentDesktopOrigin?: string;
  /** Where the agent put the floating control. */
  position?: Position;
  /** Shown while it stands; absent otherwise. */
  nudge?: Nudge;
}

/** What the popup and the options page get. */
export interface MicView extends ControlView {
  connection: Connection;
  /** The signed-in agent's display name. */
  agentName?: string;
  /** The call the control acts on: the agent's connected, not held call (the newest if several). */
  call?: CallView;
  /** Calls the agent is on that the control does not act on (held, ringing, ...). */
  otherCalls: number;
  /** True while a sign-in window is open. */
  signingIn: boolean;
  /** Set when the speaking-while-muted warning is turned on but cannot listen. */
  speakingCheck?: SpeakingCheck;
}

export const INITIAL_VIEW: MicView = {
  status: 'not-configured',
  connection: 'signed-out',
  otherCalls: 0,
  signingIn: false,
};

/** The mute state the agent should see: the pending intent if any, else the confirmed one. */
export function shownMuted(view: ControlView): boolean {
  return view.wantMuted ?? view.call?.muted ?? false;
}

/** The part of a view the page control may have. */
export function controlViewOf(view: MicView): ControlView {
  const control: ControlView = { status: view.status };
  if (view.call) control.call = { held: view.call.held, muted: view.call.muted, ...(view.call.mutedAt !== undefined ? { mutedAt: view.call.mutedAt } : {}) };
  if (view.wantMuted !== undefined) control.wantMuted = view.wantMuted;
  if (view.problem) control.problem = view.problem;
  if (view.agentDesktopOrigin) control.agentDesktopOrigin = view.agentDesktopOrigin;
  if (view.position) control.position = view.position;
  if (view.nudge) control.nudge = view.nudge;
  return control;
}
