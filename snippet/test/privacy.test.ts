// @vitest-environment happy-dom
// Privacy in the snippet (README "Privacy in the browser"): what field rules never read, and cookie-less mode.
import { beforeEach, describe, expect, test } from 'vitest';
import { readField } from '../fields.ts';
import { getCookie, safeStorage } from '../safe-storage.ts';
import { createVisits } from '../visit.ts';

describe('controls field rules never read', () => {
  beforeEach(() => {
    document.body.innerHTML = `
      <form id="f">
        <input name="name" value="Ann">
        <input name="note" value="private" data-leadrelay-ignore>
        <div data-leadrelay-ignore><input name="inner" value="private too"></div>
        <input name="card" autocomplete="cc-number" value="4111111111111111">
        <input name="cvc" autocomplete="billing cc-csc" value="123">
        <select name="exp" autocomplete="cc-exp"><option value="12/30" selected>12/30</option></select>
        <input name="pin" type="password" value="secret">
        <input name="doc" type="file">
      </form>
      <form id="g" data-leadrelay-ignore><input name="name" value="Bob"><button name="plan" value="pro">Go</button></form>`;
  });
  const f = () => document.getElementById('f') as HTMLFormElement;

  test('a control with data-leadrelay-ignore, or inside an element with it, gives nothing', () => {
    expect(readField(f(), 'name')).toBe('Ann');
    expect(readField(f(), 'note')).toBe('');
    expect(readField(f(), 'inner')).toBe('');
  });

  test('a form with data-leadrelay-ignore gives nothing, its submitter neither', () => {
    const g = document.getElementById('g') as HTMLFormElement;
    expect(readField(g, 'name')).toBe('');
    expect(readField(g, 'plan', g.querySelector('button'))).toBe('');
  });

  test('payment card controls (autocomplete cc-*), password and file inputs give nothing', () => {
    for (const name of ['card', 'cvc', 'exp', 'pin', 'doc']) expect(readField(f(), name)).toBe('');
  });
});

describe('cookie-less mode (settings.cookies: false)', () => {
  const local = safeStorage(() => localStorage);
  // happy-dom keeps a cookie written with max-age=0 (empty): Chromium drops it (e2e/snippet-privacy.e2e.test.ts).
  const ours = () => ['lr_visit_p1', 'lr_first_visit_p1', 'lr_visit', 'lr_first_visit', 'roistat_visit'].map((n) => getCookie(document, n)).join('');
  beforeEach(() => {
    for (const c of document.cookie.split('; ')) if (c) document.cookie = c.split('=')[0] + '=;max-age=0;path=/';
    localStorage.clear();
  });

  test('no visit is registered, no cookie is set and the lead context has no visit', async () => {
    const v = createVisits(document, 'https://s.example/?utm_source=ya', local, async () => { throw new Error('must not register'); }, () => {}, 'p1', 'roistat_visit');
    await v.start(true);
    expect(ours()).toBe('');
    expect(v.state_.visit).toBeNull();
    expect(v.state_.firstVisit).toBeNull();
    // The page's own marks still go with a lead.
    expect(v.state_.utm).toEqual({ source: 'ya' });
  });

  test('cookies and the visit kept before the switch are removed', async () => {
    const before = createVisits(document, 'https://s.example/', local, async () => 41, () => {}, 'p1', 'roistat_visit');
    await before.start();
    expect(getCookie(document, 'lr_visit_p1')).toBe('41');
    const after = createVisits(document, 'https://s.example/next', local, async () => { throw new Error('must not register'); }, () => {}, 'p1', 'roistat_visit');
    await after.start(true);
    expect(ours()).toBe('');
    expect(after.state_.visit).toBeNull();
    expect(localStorage.getItem('lr_visit_data_p1')).toBe('null');
  });
});
