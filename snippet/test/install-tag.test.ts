// @vitest-environment happy-dom
import { afterEach, expect, test } from 'vitest';
import { findInstall } from '../install.ts';

afterEach(() => {
  document.head.innerHTML = '';
});

test('the collector base and the project come from our own <script> tag', () => {
  document.head.innerHTML = '<script type="text/x-test" src="https://other.cdn/lib.js"></script><script type="text/x-test" async src="https://leads.example.net/s.js" data-project="p123"></script>';
  expect(findInstall(document)).toEqual({ base_: 'https://leads.example.net', projectId_: 'p123', visitCookie_: '' });
});

test('a path prefix and a query string are handled', () => {
  document.head.innerHTML = '<script type="text/x-test" src="https://example.net/leadrelay/s.js?v=3" data-project="abc"></script>';
  expect(findInstall(document)).toEqual({ base_: 'https://example.net/leadrelay', projectId_: 'abc', visitCookie_: '' });
});

test('a relative src resolves against the page', () => {
  document.head.innerHTML = '<script type="text/x-test" src="/s.js" data-project="abc"></script>';
  expect(findInstall(document)?.base_).toBe(location.origin);
});

test('no tag, or a tag without data-project: nothing', () => {
  expect(findInstall(document)).toBeNull();
  document.head.innerHTML = '<script type="text/x-test" src="https://example.net/s.js"></script>';
  expect(findInstall(document)).toBeNull();
});

test('data-visit-cookie names the extra visit cookie (Roistat drop-in)', () => {
  document.head.innerHTML = '<script type="text/x-test" src="https://example.net/s.js" data-project="abc" data-visit-cookie="roistat_visit"></script>';
  expect(findInstall(document)?.visitCookie_).toBe('roistat_visit');
});

test('a data-visit-cookie that is not a safe cookie name is ignored', () => {
  for (const bad of ['roistat_visit; path=/evil', 'a=b', 'two words', 'roistat.visit', 'визит', '']) {
    document.head.innerHTML = `<script type="text/x-test" src="https://example.net/s.js" data-project="abc" data-visit-cookie="${bad}"></script>`;
    expect(findInstall(document)).toEqual({ base_: 'https://example.net', projectId_: 'abc', visitCookie_: '' });
  }
});

test('a data-project that cannot be a cookie or storage name is no install (its names would break)', () => {
  document.head.innerHTML = '<script type="text/x-test" src="https://example.net/s.js" data-project="a;b=c"></script>';
  expect(findInstall(document)).toBeNull();
  document.head.innerHTML = '<script type="text/x-test" src="https://example.net/s.js" data-project="Ab_9-z"></script>';
  expect(findInstall(document)?.projectId_).toBe('Ab_9-z');
});
