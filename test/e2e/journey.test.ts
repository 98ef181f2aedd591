// The first journey, end to end in real Chromium against the emulator: sign in through the popup,
// a call arrives, the page control goes live, mute from page, popup and shortcut, a server-side
// mute shows without any request, and the call ends. The journey itself is shared with Firefox
// (test/shared/first-call.ts; test/e2e-firefox/journey.test.ts runs it there).
import { afterAll, beforeAll, describe } from 'vitest';
import { agentOf, signInThroughPopup, startRig, type Rig } from './harness.ts';
import { firstCallJourney } from '../shared/first-call.ts';
import type { Agent } from '../shared/agent.ts';

let rig: Rig;
let agent: Agent;

beforeAll(async () => {
  rig = await startRig();
  const popup = await signInThroughPopup(rig);
  const desk = await rig.agentDesktop();
  agent = agentOf(rig, popup, desk);
});

afterAll(async () => {
  await rig?.close();
});

describe("an agent's first call", () => {
  firstCallJourney(() => agent);
});
