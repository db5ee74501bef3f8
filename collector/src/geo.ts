// Geo variables {city}, {region}, {country} (README "Variables") from a MaxMind GeoIP2/GeoLite2 City database
// (server.ts opens the one GEOIP_DB names). Without one every lookup is empty, which the variables
// engine expands to ''.
// maxmind is imported only when a database is named: most installs have none, and the module stays out
// of the collector's memory (BENCHMARKS.md, the collector's RSS).
import type { CityResponse, Reader } from 'maxmind';

export interface GeoPlace {
  city: string;
  region: string;
  country: string;
}

export interface GeoLookup {
  lookup(ip: string): GeoPlace;
  /** Whether a database is loaded (for the startup log). */
  readonly enabled: boolean;
}

const NOWHERE: GeoPlace = { city: '', region: '', country: '' };

/**
 * Opens the database at `path` ('': none, every lookup empty). Names are taken in
 * `language` (MaxMind ships en, ru, de, …), falling back to English. A named file that cannot be
 * opened is an operator's mistake worth stopping for, so that throws.
 */
export type GeoLanguage = 'de' | 'en' | 'es' | 'fr' | 'ja' | 'pt-BR' | 'ru' | 'zh-CN';

export async function openGeo(
  path: string,
  language: GeoLanguage = 'en',
): Promise<GeoLookup> {
  if (!path) return { enabled: false, lookup: () => ({ ...NOWHERE }) };
  const { default: maxmind } = await import('maxmind');
  let reader: Reader<CityResponse>;
  try {
    reader = await maxmind.open<CityResponse>(path);
  } catch (err) {
    throw new Error(`GEOIP_DB: cannot open the MaxMind database "${path}": ${(err as Error).message}`);
  }
  return {
    enabled: true,
    lookup(ip: string): GeoPlace {
      const address = unmapIPv4(ip);
      if (!maxmind.validate(address)) return { ...NOWHERE };
      const found = reader.get(address);
      if (!found) return { ...NOWHERE };
      return {
        city: nameIn(found.city?.names, language),
        region: nameIn(found.subdivisions?.[0]?.names, language),
        country: nameIn(found.country?.names, language),
      };
    },
  };
}

/** "::ffff:1.2.3.4", as Node reports IPv4 clients on a dual-stack socket, is the IPv4 address. */
function unmapIPv4(ip: string): string {
  return ip.startsWith('::ffff:') && ip.includes('.') ? ip.slice(7) : ip;
}

function nameIn(names: Partial<Record<GeoLanguage, string>> | undefined, language: GeoLanguage): string {
  if (!names) return '';
  return names[language] ?? names.en ?? '';
}
