// @vitest-environment happy-dom
// The selector generator (picker and missed reports): each selector matches exactly the element, prefers
// ids, then stable attributes, then human-made classes, never hashed CSS-in-JS classes, and uses
// :nth-of-type only where nothing stable exists.
import { afterEach, describe, expect, test } from 'vitest';
import { HASHED, selectorFor } from '../selector.ts';

afterEach(() => {
  document.body.innerHTML = '';
});

/** Renders `html`, generates the selector of `[data-t]` and checks it matches exactly that element. */
function pick(html: string, root: ParentNode = document): string {
  if (root === document) document.body.innerHTML = html;
  const el = root.querySelector('[data-t]')!;
  el.removeAttribute('data-t');
  const s = selectorFor(el);
  const all = root.querySelectorAll(s);
  expect(all.length, s).toBe(1);
  expect(all[0], s).toBe(el);
  return s;
}

describe('selector generator', () => {
  test('an id first', () => {
    expect(pick('<form id="contact" name="c" class="form" data-t></form><form id="other"></form>')).toBe('#contact');
    expect(pick('<form id="order.form:1" data-t></form>')).toBe('#order\\.form\\:1');
  });

  test('then stable attributes: name, action, data-*', () => {
    expect(pick('<form name="callback" class="css-1x2y3z" data-t></form><form name="other"></form>')).toBe('form[name="callback"]');
    expect(pick('<form action="/order" data-t></form><form action="/search"></form>')).toBe('form[action="\\/order"]');
    expect(pick('<form data-form-type="lead" data-t></form><form data-form-type="search"></form>')).toBe('form[data-form-type="lead"]');
    // An empty value (Tilda's action="") is no mark.
    expect(pick('<form action="" class="t-form" data-t></form><form action="/x"></form>')).toBe('form.t-form');
  });

  test('then human-made classes, never hashed ones', () => {
    expect(pick('<form class="css-1x2y3z sc-bdVaJa kRmsQh jsx-123 _abc12 Form_form__3xYz1 order-form" data-t></form><form class="search"></form>')).toBe(
      'form.order-form',
    );
  });

  test('hashed names are recognised; human ones are not', () => {
    for (const c of ['css-1x2y3z', 'sc-bdVaJa', 'jsx-123456', '_abc12', '3xYz1', 'kRmsQh', 'emotion-0', 'svelte-1a2b3c', ':r1:']) expect(HASHED.test(c), c).toBe(true);
    for (const c of ['order-form', 't-form', 'js-form-proccess', 'wpcf7-form', 'col-md-6', 'contactFormWrapper', 'form554654433', 'btn'])
      expect(HASHED.test(c), c).toBe(false);
  });

  test('a React id or a generated id is skipped for stable attributes', () => {
    expect(pick('<form id=":r1:" name="signup" data-t></form>')).toBe('form[name="signup"]');
  });

  test('a page of only hashed classes: scoped by the nearest ancestor with something stable, no nth chain above it', () => {
    const s = pick(
      '<section id="pricing"><div class="css-1a2b3c"><form class="css-9z8y7x" data-t><input name="phone"></form></div></section>' +
        '<section id="footer"><div class="css-1a2b3c"><form class="css-9z8y7x"></form></div></section>',
    );
    expect(s).toBe('#pricing form');
  });

  test('two like forms in one stable block: an :nth-of-type step only below that block', () => {
    const s = pick('<div id="forms"><form class="css-aa11bb"></form><form class="css-aa11bb" data-t></form></div><form class="css-aa11bb"></form>');
    expect(s).toBe('#forms > form:nth-of-type(2)');
  });

  test('nothing stable anywhere: a :nth-of-type path from the root', () => {
    const s = pick('<div><form></form></div><div><form data-t></form></div>');
    expect(s).toMatch(/nth-of-type/);
  });

  test('a button outside a form, by its text-free stable attributes', () => {
    expect(pick('<div class="t-form"><input name="phone"><button class="t-submit" data-t>Send</button></div><button class="other">x</button>')).toBe(
      'button.t-submit',
    );
  });

  test('a form inside an open shadow root: unique inside that root', () => {
    document.body.innerHTML = '<div id="host"></div>';
    const root = document.getElementById('host')!.attachShadow({ mode: 'open' });
    root.innerHTML = '<form class="callback" data-t><input name="phone"></form><form class="search"></form>';
    expect(pick('', root)).toBe('form.callback');
  });

  test('data-leadrelay-* and Vue scoped data-v-* attributes are not stable marks', () => {
    expect(pick('<form data-v-7ba5bd90 data-leadrelay-x="1" class="lead" data-t></form><form class="x"></form>')).toBe('form.lead');
  });
});
