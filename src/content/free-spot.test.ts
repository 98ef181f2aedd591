import { describe, expect, it } from 'vitest';
import { GAP, freeSpot, near, type Rect } from './free-spot';

const CONTROL = { width: 38, height: 38 };
const rect = (left: number, top: number, width: number, height: number): Rect => ({ left, top, width, height });
const placed = (spot: { left: number; top: number }): Rect => ({ ...spot, ...CONTROL });

describe('near', () => {
  it('counts touching within the gap as near, and apart as clear', () => {
    expect(near(rect(0, 0, 10, 10), rect(10 + GAP - 1, 0, 10, 10))).toBe(true);
    expect(near(rect(0, 0, 10, 10), rect(10 + GAP, 0, 10, 10))).toBe(false);
    expect(near(rect(0, 0, 10, 10), rect(0, 10 + GAP, 10, 10))).toBe(false);
  });
});

describe('freeSpot', () => {
  it('takes the top-right corner of an empty frame', () => {
    expect(freeSpot(CONTROL, { width: 300, height: 500 }, [])).toEqual({ left: 300 - 38 - GAP, top: GAP });
  });

  it('slides left past the controls of a header bar, and keeps clear of each', () => {
    // A 300 px softphone: presence on the left, a menu button on the right.
    const header = [rect(8, 6, 110, 32), rect(256, 6, 36, 32)];
    const spot = freeSpot(CONTROL, { width: 300, height: 500 }, header)!;
    expect(spot.top).toBe(GAP);
    for (const obstacle of header) expect(near(placed(spot), obstacle)).toBe(false);
    expect(spot.left + CONTROL.width).toBeLessThanOrEqual(256 - GAP);
  });

  it('goes down to the first row with room when the top is full', () => {
    const full = [rect(0, 0, 300, 60), rect(0, 110, 300, 390)];
    expect(freeSpot(CONTROL, { width: 300, height: 500 }, full)).toEqual({ left: 300 - 38 - GAP, top: 60 + GAP });
  });

  it('stays where it is while that is still free, and moves when something comes there', () => {
    const viewport = { width: 400, height: 500 };
    expect(freeSpot(CONTROL, viewport, [], { left: 100, top: 200 })).toEqual({ left: 100, top: 200 });
    const moved = freeSpot(CONTROL, viewport, [rect(90, 190, 60, 60)], { left: 100, top: 200 })!;
    expect(moved).toEqual({ left: 400 - 38 - GAP, top: GAP });
  });

  it('leaves a spot that a narrower frame cut off', () => {
    expect(freeSpot(CONTROL, { width: 300, height: 500 }, [], { left: 350, top: 4 })).toEqual({ left: 258, top: GAP });
  });

  it('says so when nothing is free', () => {
    expect(freeSpot(CONTROL, { width: 300, height: 500 }, [rect(0, 0, 300, 500)])).toBeUndefined();
    expect(freeSpot(CONTROL, { width: 30, height: 30 }, [])).toBeUndefined();
  });

  it('never overlaps any of many scattered controls in frames 300 and 400 px wide', () => {
    let seed = 7;
    const random = () => ((seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31);
    for (const width of [300, 400]) {
      for (let run = 0; run < 50; run++) {
        const obstacles = Array.from({ length: 25 }, () => rect(random() * width, random() * 600, 20 + random() * 80, 16 + random() * 30));
        const spot = freeSpot(CONTROL, { width, height: 600 }, obstacles);
        if (!spot) continue;
        expect(spot.left).toBeGreaterThanOrEqual(GAP);
        expect(spot.left + CONTROL.width).toBeLessThanOrEqual(width - GAP);
        for (const obstacle of obstacles) expect(near(placed(spot), obstacle)).toBe(false);
      }
    }
  });
});
