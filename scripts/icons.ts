// Draws the extension's icons in plain Node and writes them to public/icons/ (committed).
// `npm run icons` regenerates them; the output is the same bytes on every run (pure arithmetic,
// no timestamps or other ancillary chunks in the PNGs, Node's bundled zlib), so a diff in
// public/icons/ always means the drawing changed; scripts/icons.test.ts checks they are current.
// `tsx scripts/icons.ts --preview DIR` also writes a 128 px render of each variant and 256 px
// nearest-neighbour enlargements of the 16/32 px icons, for looking at them.
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { crc32, deflateSync } from 'node:zlib';

export type Variant = 'product' | 'unmuted' | 'muted' | 'attention';
type Rgba = readonly [number, number, number, number];

/** Negative inside, positive outside; coordinates in pixels, (0, 0) the top-left corner. */
type Shape = (x: number, y: number) => number;

interface Layer {
  shape: Shape;
  color: Rgba;
}

const hex = (value: string, alpha = 255): Rgba => [
  Number.parseInt(value.slice(1, 3), 16),
  Number.parseInt(value.slice(3, 5), 16),
  Number.parseInt(value.slice(5, 7), 16),
  alpha,
];

export const COLORS = {
  blue: hex('#1f5fd1'),
  red: hex('#b3261e'),
  amber: hex('#f29900'),
  white: hex('#ffffff'),
  /** Glyphs on amber: white on #f29900 is too faint. */
  ink: hex('#202124'),
};

// --- Shapes (signed distance functions) -----------------------------------------------------

function roundedRect(cx: number, cy: number, halfW: number, halfH: number, radius: number): Shape {
  return (x, y) => {
    const qx = Math.abs(x - cx) - halfW + radius;
    const qy = Math.abs(y - cy) - halfH + radius;
    const outside = Math.sqrt(Math.max(qx, 0) ** 2 + Math.max(qy, 0) ** 2);
    return outside + Math.min(Math.max(qx, qy), 0) - radius;
  };
}

/** A straight stroke with round caps. */
function segment(ax: number, ay: number, bx: number, by: number, halfWidth: number): Shape {
  return (x, y) => {
    const dx = bx - ax;
    const dy = by - ay;
    const length2 = dx * dx + dy * dy;
    // A zero-length segment is a dot (and must not divide by zero: NaN would never be inside).
    const t = length2 === 0 ? 0 : Math.min(1, Math.max(0, ((x - ax) * dx + (y - ay) * dy) / length2));
    return Math.hypot(x - (ax + t * dx), y - (ay + t * dy)) - halfWidth;
  };
}

/** The lower half of a circle, stroked, with round caps: the mic's cradle. */
function lowerArc(cx: number, cy: number, radius: number, halfWidth: number): Shape {
  return (x, y) => {
    if (y >= cy) return Math.abs(Math.hypot(x - cx, y - cy) - radius) - halfWidth;
    return Math.min(Math.hypot(x - cx + radius, y - cy), Math.hypot(x - cx - radius, y - cy)) - halfWidth;
  };
}

/** Whole pixels (i, j) with from <= i <= to and lo <= i - j <= hi: a crisp 45-degree line. */
function staircase(from: number, to: number, lo: number, hi: number): Shape {
  return (x, y) => {
    const i = Math.floor(x);
    const d = i - Math.floor(y);
    return i >= from && i <= to && d >= lo && d <= hi ? -1 : 1;
  };
}

const union =
  (...shapes: Shape[]): Shape =>
  (x, y) =>
    Math.min(...shapes.map((shape) => shape(x, y)));

const intersect =
  (a: Shape, b: Shape): Shape =>
  (x, y) =>
    Math.max(a(x, y), b(x, y));

// --- The drawing ------------------------------------------------------------------------------

/** The microphone, in pixels: a capsule head, a U-shaped cradle and a stem. */
interface Mic {
  cx: number;
  headHalfWidth: number;
  headTop: number;
  headBottom: number;
  /** Centre of the cradle's half circle, its centre-line radius and half its stroke width. */
  cradleY: number;
  cradleRadius: number;
  half: number;
  stemBottom: number;
}

/**
 * 16 and 32 px are hand-fitted to the pixel grid (edges on pixel boundaries, 1 px gaps at 16) so
 * they stay sharp in the toolbar; larger sizes scale the 24-unit design (the Material mic's
 * proportions) with a slightly heavier stroke.
 */
function micFor(size: number, tileSize: number): Mic {
  if (size === 16) return { cx: 8, headHalfWidth: 2, headTop: 2, headBottom: 9, cradleY: 7, cradleRadius: 4, half: 1, stemBottom: 14 };
  if (size === 32) return { cx: 16, headHalfWidth: 4, headTop: 5, headBottom: 18, cradleY: 14, cradleRadius: 7, half: 1, stemBottom: 27 };
  const unit = (tileSize / 24) * 0.7;
  const at = (design: number): number => size / 2 + (design - 12) * unit;
  return {
    cx: size / 2,
    headHalfWidth: 3.25 * unit,
    headTop: at(1.75),
    headBottom: at(13.25),
    cradleY: at(10.5),
    cradleRadius: 6.5 * unit,
    half: 1.47 * unit, // a little heavier than Material's 1.0 so the small sizes hold up
    stemBottom: at(21.5),
  };
}

/** The exclamation mark beside the (shifted) mic on the attention icon, pixel-fitted at 16/32. */
function bangFor(size: number, tileSize: number): { micShift: number; bar: Shape; dot: Shape } {
  if (size === 16) return { micShift: -2, bar: roundedRect(13, 6, 1, 4, 0.5), dot: roundedRect(13, 13, 1, 1, 0.5) };
  if (size === 32) return { micShift: -4, bar: roundedRect(25.5, 12, 1.5, 7, 1), dot: roundedRect(25.5, 25.5, 1.5, 1.5, 1) };
  const u = tileSize / 24;
  const c = size / 2;
  return {
    micShift: -2.5 * u,
    bar: roundedRect(c + 7 * u, c - 2.6 * u, 1.1 * u, 4.6 * u, 1.1 * u), // top level with the mic's head
    dot: roundedRect(c + 7 * u, c + 5.4 * u, 1.3 * u, 1.3 * u, 1.3 * u), // bottom level with the stem
  };
}

function microphone(mic: Mic, dx = 0): Shape {
  const cx = mic.cx + dx;
  const headHalfHeight = (mic.headBottom - mic.headTop) / 2;
  const stemTop = mic.cradleY + mic.cradleRadius;
  return union(
    roundedRect(cx, mic.headTop + headHalfHeight, mic.headHalfWidth, headHalfHeight, mic.headHalfWidth),
    lowerArc(cx, mic.cradleY, mic.cradleRadius, mic.half),
    roundedRect(cx, (stemTop + mic.stemBottom) / 2, mic.half, (mic.stemBottom - stemTop) / 2, 0),
  );
}

/** `inset` is the transparent margin in pixels around the tile. */
export function layersFor(variant: Variant, size: number, inset = insetFor(size)): Layer[] {
  const tileSize = size - 2 * inset;
  const c = size / 2;
  const tile = roundedRect(c, c, tileSize / 2, tileSize / 2, (tileSize * 5) / 24);
  const mic = micFor(size, tileSize);
  const white = COLORS.white;
  switch (variant) {
    case 'product':
    case 'unmuted':
      return [
        { shape: tile, color: COLORS.blue },
        { shape: microphone(mic), color: white },
      ];
    case 'muted': {
      // A slash from top left to bottom right, cut into the mic by a gap of background around it.
      // At 16 px an anti-aliased diagonal smears into the mic, so it is a pixel staircase there.
      const reach = tileSize * 0.31;
      const gap = Math.max(1, tileSize / 24);
      const slash = (half: number): Shape => intersect(segment(c - reach, c - reach, c + reach, c + reach, half), tile);
      const [cut, line] = size <= 16 ? [staircase(3, 12, -1, 2), staircase(3, 12, 0, 1)] : [slash(mic.half + gap), slash(mic.half)];
      return [
        { shape: tile, color: COLORS.red },
        { shape: microphone(mic), color: white },
        { shape: cut, color: COLORS.red },
        { shape: line, color: white },
      ];
    }
    case 'attention': {
      // Amber tile, dark mic moved left and an exclamation mark: readable without the colour too.
      const bang = bangFor(size, tileSize);
      return [
        { shape: tile, color: COLORS.amber },
        { shape: microphone(mic, bang.micShift), color: COLORS.ink },
        { shape: union(bang.bar, bang.dot), color: COLORS.ink },
      ];
    }
  }
}

// --- Rasteriser ---------------------------------------------------------------------------------

/** Subsamples per pixel side: 8x8 = 64 samples gives smooth edges even at 16 px. */
const SUPERSAMPLE = 8;

/**
 * RGBA pixels (straight alpha). Each subsample paints the layers in order (opaque colours, so the
 * topmost hit wins); a pixel is the average of its subsamples in premultiplied form.
 */
export function render(layers: Layer[], size: number): Uint8Array {
  const pixels = new Uint8Array(size * size * 4);
  const samples = SUPERSAMPLE * SUPERSAMPLE;
  for (let py = 0; py < size; py++) {
    for (let px = 0; px < size; px++) {
      let r = 0;
      let g = 0;
      let b = 0;
      let a = 0;
      for (let sy = 0; sy < SUPERSAMPLE; sy++) {
        for (let sx = 0; sx < SUPERSAMPLE; sx++) {
          const x = px + (sx + 0.5) / SUPERSAMPLE;
          const y = py + (sy + 0.5) / SUPERSAMPLE;
          for (let index = layers.length - 1; index >= 0; index--) {
            const layer = layers[index]!;
            if (layer.shape(x, y) <= 0) {
              const alpha = layer.color[3];
              r += layer.color[0] * alpha;
              g += layer.color[1] * alpha;
              b += layer.color[2] * alpha;
              a += alpha;
              break;
            }
          }
        }
      }
      const offset = (py * size + px) * 4;
      if (a > 0) {
        pixels[offset] = Math.round(r / a);
        pixels[offset + 1] = Math.round(g / a);
        pixels[offset + 2] = Math.round(b / a);
      }
      pixels[offset + 3] = Math.round(a / samples);
    }
  }
  return pixels;
}

// --- PNG ----------------------------------------------------------------------------------------

function chunk(type: string, data: Buffer): Buffer {
  const head = Buffer.alloc(8);
  head.writeUInt32BE(data.length, 0);
  head.write(type, 4, 'ascii');
  const crc = Buffer.alloc(4);
  crc.writeUInt32BE(crc32(Buffer.concat([head.subarray(4), data])), 0);
  return Buffer.concat([head, data, crc]);
}

/** An 8-bit RGBA PNG with no ancillary chunks (no time, no gamma): identical bytes for identical pixels. */
export function encodePng(pixels: Uint8Array, width: number, height: number): Buffer {
  const header = Buffer.alloc(13);
  header.writeUInt32BE(width, 0);
  header.writeUInt32BE(height, 4);
  header.set([8, 6, 0, 0, 0], 8); // bit depth 8, colour type RGBA, deflate, no filter method, no interlace
  const rows = Buffer.alloc((width * 4 + 1) * height);
  for (let y = 0; y < height; y++) {
    rows[y * (width * 4 + 1)] = 0; // filter: none
    rows.set(pixels.subarray(y * width * 4, (y + 1) * width * 4), y * (width * 4 + 1) + 1);
  }
  return Buffer.concat([
    Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
    chunk('IHDR', header),
    chunk('IDAT', deflateSync(rows, { level: 9 })),
    chunk('IEND', Buffer.alloc(0)),
  ]);
}

// --- The files ----------------------------------------------------------------------------------

/**
 * The Web Store asks for the 128 px art to be 96 px with 16 px of transparent padding; the small
 * sizes use (almost) the full square so the glyph stays legible.
 */
function insetFor(size: number): number {
  if (size >= 128) return 16;
  if (size >= 48) return 2;
  if (size >= 32) return 1;
  return 0;
}

export const ICON_FILES: { file: string; variant: Variant; size: number }[] = [
  ...[16, 32, 48, 128].map((size) => ({ file: `icon-${size}.png`, variant: 'product' as const, size })),
  ...(['unmuted', 'muted', 'attention'] as const).flatMap((variant) =>
    [16, 32].map((size) => ({ file: `toolbar-${variant}-${size}.png`, variant, size })),
  ),
];

export function iconPng(variant: Variant, size: number): Buffer {
  return encodePng(render(layersFor(variant, size), size), size, size);
}

/** Nearest-neighbour enlargement, to look at a 16 px icon's actual pixels. */
function enlarge(pixels: Uint8Array, size: number, factor: number): Uint8Array {
  const out = new Uint8Array(size * factor * size * factor * 4);
  for (let y = 0; y < size * factor; y++) {
    for (let x = 0; x < size * factor; x++) {
      const from = (Math.floor(y / factor) * size + Math.floor(x / factor)) * 4;
      out.set(pixels.subarray(from, from + 4), (y * size * factor + x) * 4);
    }
  }
  return out;
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const outDir = join(import.meta.dirname, '..', 'public', 'icons');
  mkdirSync(outDir, { recursive: true });
  for (const { file, variant, size } of ICON_FILES) {
    writeFileSync(join(outDir, file), iconPng(variant, size));
    console.log(`public/icons/${file}`);
  }
  const previewAt = process.argv.indexOf('--preview');
  const previewDir = previewAt >= 0 ? process.argv[previewAt + 1] : undefined;
  if (previewDir) {
    mkdirSync(previewDir, { recursive: true });
    for (const variant of ['product', 'unmuted', 'muted', 'attention'] as const) {
      writeFileSync(join(previewDir, `${variant}-128.png`), encodePng(render(layersFor(variant, 128, 0), 128), 128, 128));
      for (const size of [16, 32]) {
        const factor = 256 / size;
        const pixels = render(layersFor(variant, size), size);
        writeFileSync(join(previewDir, `${variant}-${size}-x${factor}.png`), encodePng(enlarge(pixels, size, factor), size * factor, size * factor));
      }
    }
    console.log(`previews in ${previewDir}`);
  }
}
