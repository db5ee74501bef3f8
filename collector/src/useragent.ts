// Browser and OS names for {agent} and {os} (SPEC §7), from the request's User-Agent.
import { UAParser } from 'ua-parser-js';

export interface UserAgentNames {
  /** "Chrome 120", "Safari 17.1", or '' when unknown. */
  browser: string;
  /** "Windows 10", "iOS 17.1", "Android 14", or '' when unknown. */
  os: string;
}

export function describeUserAgent(userAgent: string | undefined): UserAgentNames {
  // The header is visitor-controlled; nothing longer than a real UA deserves the regexes.
  if (!userAgent || userAgent.length > 1024) return { browser: '', os: '' };
  const { browser, os } = UAParser(userAgent);
  return {
    browser: joinNonEmpty(browser.name, browser.major),
    os: joinNonEmpty(os.name, os.version),
  };
}

function joinNonEmpty(name: string | undefined, version: string | undefined): string {
  if (!name) return '';
  return version ? `${name} ${version}` : name;
}
