// Where the floating control sits. The agent moves it by its handle (pointer or arrow keys); it is
// kept inside the viewport and remembered across page loads. Beside Genesys's toolbar none of this
// applies: the control flows with the toolbar.

/**
 * `chrome.storage.local` key. Value `{x, y}`: px from the viewport's right edge to the control's
 * right edge, and from the viewport's bottom edge to the control's bottom edge. Anchored to the
 * bottom-right like the default, so the control keeps its corner when the window is resized.
 */
export const POSITION_KEY = 'controlPosition';

export interface Position {
  x: number;
  y: number;
}

/** Bottom-right, 16 px in: Genesys's own call controls are at the top of the interaction. */
export const DEFAULT_POSITION: Position = { x: 16, y: 16 };

/** The stored position, if the value is one (anything else counts as unset). */
export function samePosition(a: Position, b: Position): boolean {
  return a.x === b.x && a.y === b.y;
}

export function readPosition(value: unknown): Position | undefined {
  if (typeof value !== 'object' || value === null) return undefined;
  const { x, y } = value as Record<string, unknown>;
  return typeof x === 'number' && typeof y === 'number' && Number.isFinite(x) && Number.isFinite(y) ? { x, y } : undefined;
}

interface Size {
  width: number;
  height: number;
}

/** The nearest position, in whole px, at which the whole control is on screen (or as much as fits). */
export function clampPosition(position: Position, control: Size, viewport: Size): Position {
  const fit = (value: number, room: number): number => Math.round(Math.min(Math.max(value, 0), Math.max(room, 0)));
  return { x: fit(position.x, viewport.width - control.width), y: fit(position.y, viewport.height - control.height) };
}

// x and y count from the right and bottom, so moving left or up makes them larger.
const ARROWS = new Map<string, [number, number]>([
  ['ArrowLeft', [1, 0]],
  ['ArrowRight', [-1, 0]],
  ['ArrowUp', [0, 1]],
  ['ArrowDown', [0, -1]],
]);

/** The position after an arrow key (10 px, Shift 50 px), or undefined for any other key. */
export function afterKey(position: Position, key: string, shift: boolean): Position | undefined {
  const move = ARROWS.get(key);
  if (!move) return undefined;
  const step = shift ? 50 : 10;
  return { x: position.x + move[0] * step, y: position.y + move[1] * step };
}
