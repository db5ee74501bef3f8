// @vitest-environment happy-dom
import { afterEach, expect, test } from 'vitest';
import { findInstall } from '../install.ts';

afterEach(() => {
  document.head.innerHTML = '';
});

test('the collector base and the project come from our own <script> tag', () => {
  document.head.innerHTML = '<script type="text/x-test" src="https://other.cdn/lib.js"></script><script type="text/x-test" async src="https://leads.example.net/s.js" data-project="p123"></script>';
  expect(findInstall(document)).toEqual({ base: 'https://leads.example.net', projectId: 'p123' });
});

test('a path prefix and a query string are handled', () => {
  document.head.innerHTML = '<script type="text/x-test" src="https://example.net/leadrelay/s.js?v=3" data-project="abc"></script>';
  expect(findInstall(document)).toEqual({ base: 'https://example.net/leadrelay', projectId: 'abc' });
});

test('a relative src resolves against the page', () => {
  document.head.innerHTML = '<script type="text/x-test" src="/s.js" data-project="abc"></script>';
  expect(findInstall(document)?.base).toBe(location.origin);
});

test('no tag, or a tag without data-project: nothing', () => {
  expect(findInstall(document)).toBeNull();
  document.head.innerHTML = '<script type="text/x-test" src="https://example.net/s.js"></script>';
  expect(findInstall(document)).toBeNull();
});
