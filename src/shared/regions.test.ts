import { describe, expect, it } from 'vitest';
import { isRegionDomain, regions } from './regions';

describe('the regions', () => {
  it('are all 18 of the SDK, each named by where it is', () => {
    const list = regions();
    expect(list).toHaveLength(18);
    expect(list.map((region) => region.label)).toContain('Americas (US East) — mypurecloud.com');
    expect(list.map((region) => region.label)).toContain('EMEA (EU Sovereign Cloud, Germany) — edee1.eusc-pure.cloud');
    for (const region of list) expect(region.label).toMatch(/^(Americas|EMEA|Asia Pacific) \(.+\) — /);
  });

  it('recognise region domains and nothing else', () => {
    expect(isRegionDomain('mypurecloud.ie')).toBe(true);
    expect(isRegionDomain('mypurecloud.co.uk')).toBe(false);
    expect(isRegionDomain('')).toBe(false);
  });
});
