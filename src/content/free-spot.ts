// Where the compact control goes in Genesys's embedded client: a frame 300–400 px wide, framed by
// a CRM, whose DOM nobody documents (docs/GENESYS.md). Rather than guess its selectors, the control
// takes the first spot, from the top-right, where it covers nothing the client draws. Pure: the
// content script measures the page (placement.ts), this decides.

export interface Rect {
  left: number;
  top: number;
  width: number;
  height: number;
}

export interface Size {
  width: number;
  height: number;
}

export interface Spot {
  left: number;
  top: number;
}

/** Kept clear between the control and anything of the client's, and from the frame's edges. */
export const GAP = 4;
/** Rows tried, from the top. */
const ROW_STEP = 4;

/** Whether `a` comes within `gap` px of `b`. */
export function near(a: Rect, b: Rect, gap = GAP): boolean {
  return a.left < b.left + b.width + gap && b.left - gap < a.left + a.width && a.top < b.top + b.height + gap && b.top - gap < a.top + a.height;
}

/**
 * The spot for a control of `size` in `viewport` that comes near none of `obstacles`: `current`
 * while it still is one (the control does not wander), else the first such spot scanning rows from
 * the top, each from the right; undefined when there is none.
 */
export function freeSpot(size: Size, viewport: Size, obstacles: readonly Rect[], current?: Spot): Spot | undefined {
  const maxLeft = viewport.width - size.width - GAP;
  const maxTop = viewport.height - size.height - GAP;
  const clear = (spot: Spot): Rect | undefined => obstacles.find((obstacle) => near({ ...spot, ...size }, obstacle));
  if (current && current.left >= GAP && current.left <= maxLeft && current.top >= GAP && current.top <= maxTop && !clear(current)) return current;
  for (let top = GAP; top <= maxTop; top += ROW_STEP) {
    const row = { left: 0, top, width: viewport.width, height: size.height };
    const inRow = obstacles.filter((obstacle) => near(row, obstacle));
    let left = maxLeft;
    while (left >= GAP) {
      const blocker = inRow.find((obstacle) => near({ left, top, ...size }, obstacle));
      if (!blocker) return { left: Math.floor(left), top };
      // Past the blocker's left edge at once: the spot just right of it is taken too.
      left = Math.min(left - 1, blocker.left - GAP - size.width);
    }
  }
  return undefined;
}
