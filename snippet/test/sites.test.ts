// @vitest-environment happy-dom
import { describe, expect, test } from 'vitest';
import { siteApplies } from '../sites.ts';

describe('siteApplies', () => {
  test('an empty list means every site, with or without excludeSites', () => {
    expect(siteApplies('any.example', [], false)).toBe(true);
    expect(siteApplies('any.example', [], true)).toBe(true);
    expect(siteApplies('any.example', [' ', ''], false)).toBe(true);
  });

  test('the exact host and its subdomains match; other hosts do not', () => {
    const sites = ['example.com'];
    expect(siteApplies('example.com', sites, false)).toBe(true);
    expect(siteApplies('shop.example.com', sites, false)).toBe(true);
    expect(siteApplies('a.b.example.com', sites, false)).toBe(true);
    expect(siteApplies('notexample.com', sites, false)).toBe(false);
    expect(siteApplies('example.com.evil.net', sites, false)).toBe(false);
    expect(siteApplies('other.org', sites, false)).toBe(false);
  });

  test('www. is ignored on both sides; case, scheme, port, path and a trailing dot too', () => {
    expect(siteApplies('www.example.com', ['example.com'], false)).toBe(true);
    expect(siteApplies('example.com', ['www.example.com'], false)).toBe(true);
    expect(siteApplies('Example.COM', ['https://www.example.com:8443/contacts'], false)).toBe(true);
    expect(siteApplies('example.com.', ['example.com'], false)).toBe(true);
  });

  test('a subdomain in the list does not match its parent', () => {
    expect(siteApplies('example.com', ['shop.example.com'], false)).toBe(false);
  });

  test('excludeSites inverts the list', () => {
    expect(siteApplies('example.com', ['example.com'], true)).toBe(false);
    expect(siteApplies('blog.example.com', ['example.com'], true)).toBe(false);
    expect(siteApplies('other.org', ['example.com'], true)).toBe(true);
  });

  test('several sites', () => {
    expect(siteApplies('b.ru', ['a.ru', 'b.ru'], false)).toBe(true);
  });
});
