// A visit's fingerprint is stored (visits.fingerprint) and a repeat is found by it for 30 minutes,
// so the way it is computed must not change across an upgrade: the digest of a known visit is fixed
// here (computed by the version that stored the first fingerprints).
import { describe, expect, it } from 'vitest';
import { visitFingerprint } from '../../src/store/rows.ts';

describe('visitFingerprint', () => {
  it('gives the same fingerprint as before for the same visit', () => {
    const body = {
      landingPage: 'https://shop.example.com/?utm_source=google',
      referrer: 'https://www.google.com/',
      utm: { source: 'google', medium: 'cpc' },
      clickIds: { gclid: 'abc' },
      params: { b: '2', a: '1' },
      firstVisit: 41,
    };
    expect(visitFingerprint(body, '203.0.113.7', 'Mozilla/5.0 (X11; Linux x86_64)')).toBe('ko7bm1CI9aaVUS8lbhOeCf');
  });
});
