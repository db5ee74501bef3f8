import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { readConfig } from '../src/config.ts';
import { openGeo } from '../src/geo.ts';

// ---- a tiny MaxMind DB (format 2.0, IPv4, 24-bit records) holding one network, written here so
// the lookup is tested against the real reader without shipping a GeoLite2 file ----
type Value = string | number | Value[] | { [k: string]: Value };

function encode(v: Value): Buffer {
  const head = (type: number, size: number) =>
    type <= 7 ? Buffer.from([(type << 5) | size]) : Buffer.from([size, type - 7]); // sizes < 29 only
  if (typeof v === 'string') {
    const bytes = Buffer.from(v, 'utf8');
    return Buffer.concat([head(2, bytes.length), bytes]);
  }
  if (typeof v === 'number') {
    const bytes = Buffer.alloc(4);
    bytes.writeUInt32BE(v);
    return Buffer.concat([head(6, 4), bytes]); // uint32
  }
  if (Array.isArray(v)) return Buffer.concat([head(11, v.length), ...v.map(encode)]);
  const entries = Object.entries(v);
  return Buffer.concat([head(7, entries.length), ...entries.flatMap(([k, x]) => [encode(k), encode(x)])]);
}

function tinyCityDb(network: string, prefix: number, record: Value): Buffer {
  const bits = network.split('.').reduce((acc, octet) => (acc << 8) | Number(octet), 0) >>> 0;
  const nodeCount = prefix;
  const tree = Buffer.alloc(nodeCount * 6);
  const dataPointer = nodeCount + 16; // data section offset 0
  for (let i = 0; i < nodeCount; i++) {
    const bit = (bits >>> (31 - i)) & 1;
    const next = i + 1 < nodeCount ? i + 1 : dataPointer;
    const [left, right] = bit === 0 ? [next, nodeCount] : [nodeCount, next];
    tree.writeUIntBE(left, i * 6, 3);
    tree.writeUIntBE(right, i * 6 + 3, 3);
  }
  const metadata = encode({
    node_count: nodeCount,
    record_size: 24,
    ip_version: 4,
    database_type: 'GeoLite2-City',
    languages: ['en', 'ru'],
    binary_format_major_version: 2,
    binary_format_minor_version: 0,
    build_epoch: 1700000000,
    description: { en: 'leadrelay test database' },
  });
  return Buffer.concat([tree, Buffer.alloc(16), encode(record), Buffer.from('\xab\xcd\xefMaxMind.com', 'latin1'), metadata]);
}

const dir = mkdtempSync(join(tmpdir(), 'leadrelay-geo-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

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

  it('reads city, region and country from a MaxMind database, in the chosen language', async () => {
    const file = join(dir, 'tiny-city.mmdb');
    writeFileSync(
      file,
      tinyCityDb('203.0.113.0', 24, {
        city: { names: { en: 'Kazan', ru: 'Казань' } },
        subdivisions: [{ names: { en: 'Tatarstan', ru: 'Татарстан' } }],
        country: { names: { en: 'Russia', ru: 'Россия' } },
      }),
    );
    const en = await openGeo(file);
    expect(en.enabled).toBe(true);
    expect(en.lookup('203.0.113.77')).toEqual({ city: 'Kazan', region: 'Tatarstan', country: 'Russia' });
    expect(en.lookup('::ffff:203.0.113.1')).toEqual({ city: 'Kazan', region: 'Tatarstan', country: 'Russia' });
    expect(en.lookup('198.51.100.1')).toEqual({ city: '', region: '', country: '' });
    expect(en.lookup('garbage')).toEqual({ city: '', region: '', country: '' });
    const ru = await openGeo(file, 'ru');
    expect(ru.lookup('203.0.113.77')).toEqual({ city: 'Казань', region: 'Татарстан', country: 'Россия' });
    const de = await openGeo(file, 'de'); // no German names: English ones
    expect(de.lookup('203.0.113.77').city).toBe('Kazan');
  });

  it('opens the file GEOIP_DB names in the configuration', async () => {
    const file = join(dir, 'env-city.mmdb');
    writeFileSync(file, tinyCityDb('198.51.100.0', 24, { country: { names: { en: 'Norway' } } }));
    const config = readConfig({ GEOIP_DB: file });
    expect(config.geoipDb).toBe(file);
    expect((await openGeo(config.geoipDb ?? '')).lookup('198.51.100.3')).toEqual({ city: '', region: '', country: 'Norway' });
  });
});
