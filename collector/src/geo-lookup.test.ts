import { describe, expect, it } from 'vitest';
import { openGeo } from './geo.ts';

describe('openGeo', () => {
  it('without a database answers every address with empty places', async () => {
    const geo = await openGeo('');
    expect(geo.enabled).toBe(false);
    expect(geo.lookup('8.8.8.8')).toEqual({ city: '', region: '', country: '' });
    expect(geo.lookup('not an ip')).toEqual({ city: '', region: '', country: '' });
  });

  it('reports a GEOIP_DB that cannot be opened, naming the file', async () => {
    await expect(openGeo('/nonexistent/GeoLite2-City.mmdb')).rejects.toThrow(/GEOIP_DB.*GeoLite2-City\.mmdb/);
  });
});
