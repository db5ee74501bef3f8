import { describe, expect, it } from 'vitest';
import { describeUserAgent } from '../src/useragent.ts';

describe('describeUserAgent: {agent} and {os}', () => {
  it.each([
    [
      'Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/120.0.0.0 Safari/537.36',
      'Chrome 120',
      'Windows 10',
    ],
    [
      'Mozilla/5.0 (iPhone; CPU iPhone OS 17_1 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.1 Mobile/15E148 Safari/604.1',
      'Mobile Safari 17',
      'iOS 17.1',
    ],
    ['Mozilla/5.0 (X11; Linux x86_64; rv:121.0) Gecko/20100101 Firefox/121.0', 'Firefox 121', 'Linux'],
  ])('%s', (ua, browser, os) => {
    expect(describeUserAgent(ua)).toEqual({ browser, os });
  });

  it('gives empty names for no, unknown or absurdly long user agents', () => {
    expect(describeUserAgent(undefined)).toEqual({ browser: '', os: '' });
    expect(describeUserAgent('curl-ish')).toEqual({ browser: '', os: '' });
    expect(describeUserAgent('Chrome/1 '.repeat(200))).toEqual({ browser: '', os: '' });
  });
});

describe('describeUserAgent cache', () => {
  it('answers a repeated user agent the same, and a caller changing an answer changes no later one', () => {
    const ua = 'Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.1 Safari/605.1.15';
    const first = describeUserAgent(ua);
    first.browser = 'changed';
    expect(describeUserAgent(ua)).toEqual({ browser: 'Safari 17', os: 'macOS 10.15.7' });
  });
});
