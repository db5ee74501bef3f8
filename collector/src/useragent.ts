// Browser and OS names for {agent} and {os} (README "Variables"), from the request's User-Agent.
// ua-parser-js 1.x: the MIT line (2.x is AGPL-3.0). It is CommonJS, so the default import.
import UAParser from 'ua-parser-js';

export interface UserAgentNames {
  /** "Chrome 120", "Safari 17.1", or '' when unknown. */
  browser: string;
  /** "Windows 10", "iOS 17.1", "Android 14", or '' when unknown. */
  os: string;
}

// Parsing costs about half a millisecond, and a site's visitors share a few hundred user agents.
const CACHE_SIZE = 2000;
const cache = new Map<string, UserAgentNames>();

export function describeUserAgent(userAgent: string | undefined): UserAgentNames {
  // The header is visitor-controlled; nothing longer than a real UA deserves the regexes.
  if (!userAgent || userAgent.length > 1024) return { browser: '', os: '' };
  const known = cache.get(userAgent);
  if (known) return { ...known };
  const { browser, os } = UAParser(userAgent);
  // 1.x says "Mac OS" where 2.x (and Apple) say "macOS": keep the name {os} has always given.
  const osName = os.name === 'Mac OS' ? 'macOS' : os.name;
  const names = { browser: joinNonEmpty(browser.name, browser.major), os: joinNonEmpty(osName, os.version) };
  if (cache.size >= CACHE_SIZE) cache.delete(cache.keys().next().value!);
  cache.set(userAgent, names);
  return { ...names };
}

function joinNonEmpty(name: string | undefined, version: string | undefined): string {
  if (!name) return '';
  return version ? `${name} ${version}` : name;
}
