// Whether the agent could see the page control when it was clicked. The page could cover the
// control with a decoy that lets clicks through; the browser says so where it can
// (IntersectionObserver v2's isVisible; Firefox has none, and then every click counts).

/** What the browser last reported: on screen and unobstructed, on screen under something, or not drawn. */
export type Sight = 'visible' | 'covered' | 'off-screen';

export interface SightReport {
  readonly isIntersecting: boolean;
  readonly isVisible?: boolean;
}

export function sightOf(report: SightReport): Sight {
  if (report.isVisible ?? true) return 'visible';
  return report.isIntersecting ? 'covered' : 'off-screen';
}

/**
 * Decides clicks from what the observer last said. The observer reports at most every 100 ms, so
 * a control that just came into view (Genesys re-rendered its toolbar and the control moved) still
 * reads "off-screen" for a moment, though the agent plainly clicked it: then it looks again rather
 * than drop the click. A control last seen under something stays refused.
 */
export class SightGate {
  private last: Sight = 'visible';

  constructor(private readonly lookAgain: () => Promise<Sight>) {}

  saw(report: SightReport): void {
    this.last = sightOf(report);
  }

  /** Calls `act` (at once when the last report says visible) or `refuse`. */
  check(act: () => void, refuse: () => void): void {
    if (this.last === 'visible') act();
    else if (this.last === 'covered') refuse();
    else
      void this.lookAgain().then(
        (now) => (now === 'visible' ? act() : refuse()),
        () => refuse(),
      );
  }
}
