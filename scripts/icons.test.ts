// The committed icons must be what scripts/icons.ts draws: run `npm run icons` after changing it.
import { readFileSync } from 'node:fs';
import { inflateSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { ICON_FILES, iconPng } from './icons.ts';

describe('public/icons', () => {
  it.each(ICON_FILES.map((icon) => [icon.file, icon] as const))('%s is current', (file, { variant, size }) => {
    const png = iconPng(variant, size);
    expect(iconPng(variant, size).equals(png)).toBe(true); // deterministic
    expect(readFileSync(`public/icons/${file}`).equals(png)).toBe(true);
  });

  it('are RGBA PNGs of the stated size with transparent corners', () => {
    for (const { file, size } of ICON_FILES) {
      const png = readFileSync(`public/icons/${file}`);
      expect(png.subarray(1, 4).toString('ascii')).toBe('PNG');
      expect(png.readUInt32BE(16)).toBe(size); // IHDR width
      expect(png.readUInt32BE(20)).toBe(size); // IHDR height
      expect(png[25]).toBe(6); // colour type RGBA
      const idatLength = png.readUInt32BE(33);
      expect(png.subarray(37, 41).toString('ascii')).toBe('IDAT');
      const rows = inflateSync(png.subarray(41, 41 + idatLength));
      expect(rows.length).toBe((size * 4 + 1) * size);
      expect(rows[1 + 3]).toBe(0); // top-left pixel's alpha: the tile's corner is rounded
    }
  });
});
