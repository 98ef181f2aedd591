import { describe, expect, it } from 'vitest';
import { DEFAULT_POSITION, afterKey, clampPosition, readPosition } from './position';

const viewport = { width: 1200, height: 800 };
const control = { width: 200, height: 44 };

describe('the floating position', () => {
  it('defaults to the bottom-right corner, 16 px in', () => {
    expect(DEFAULT_POSITION).toEqual({ x: 16, y: 16 });
  });

  it('reads only a pair of finite numbers from storage', () => {
    expect(readPosition({ x: 40, y: 12.5 })).toEqual({ x: 40, y: 12.5 });
    expect(readPosition({ x: 40, y: 12, extra: true })).toEqual({ x: 40, y: 12 });
    for (const bad of [undefined, null, 'x', 3, [], {}, { x: 1 }, { x: '1', y: 2 }, { x: Number.NaN, y: 2 }, { x: 1, y: Infinity }]) {
      expect(readPosition(bad)).toBeUndefined();
    }
  });

  it('keeps the whole control in the viewport, in whole px', () => {
    expect(clampPosition({ x: 16, y: 16 }, control, viewport)).toEqual({ x: 16, y: 16 });
    expect(clampPosition({ x: -30, y: -1 }, control, viewport)).toEqual({ x: 0, y: 0 });
    expect(clampPosition({ x: 5000, y: 5000 }, control, viewport)).toEqual({ x: 1000, y: 756 });
    expect(clampPosition({ x: 10.4, y: 10.6 }, control, viewport)).toEqual({ x: 10, y: 11 });
  });

  it('pins to the corner when the control is larger than the viewport', () => {
    expect(clampPosition({ x: 50, y: 50 }, control, { width: 150, height: 30 })).toEqual({ x: 0, y: 0 });
  });

  it('moves 10 px per arrow key and 50 px with Shift, in screen directions', () => {
    const from = { x: 100, y: 100 };
    expect(afterKey(from, 'ArrowLeft', false)).toEqual({ x: 110, y: 100 });
    expect(afterKey(from, 'ArrowRight', false)).toEqual({ x: 90, y: 100 });
    expect(afterKey(from, 'ArrowUp', true)).toEqual({ x: 100, y: 150 });
    expect(afterKey(from, 'ArrowDown', true)).toEqual({ x: 100, y: 50 });
    for (const key of ['Enter', ' ', 'Tab', 'a', 'constructor', 'toString']) expect(afterKey(from, key, false)).toBeUndefined();
  });
});
