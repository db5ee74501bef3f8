// "Send when" in the form editor: presets and the custom condition map to the form's `confirm` and back.
import { describe, expect, it } from 'vitest';
import { FormConfigBody } from '../../../shared/form-config.ts';
import { editorStateFrom, toFormConfig } from './form-editor-state.ts';
import { confirmFrom, sendWhenFrom } from './send-when.ts';

describe('send when', () => {
  it('"At once" is null; each preset gives its builder\'s success marker with the seconds', () => {
    expect(confirmFrom(sendWhenFrom(null), 'click').confirm).toBeNull();
    const seconds = '15';
    expect(confirmFrom({ preset: 'tilda', selector: '', event: '', seconds }, 'click').confirm).toEqual({ selector: '.t-form__successbox', seconds: 15 });
    expect(confirmFrom({ preset: 'cf7', selector: '', event: '', seconds }, 'submit').confirm).toEqual({ event: 'wpcf7mailsent', seconds: 15 });
    expect(confirmFrom({ preset: 'bitrix24', selector: '', event: '', seconds }, 'submit').confirm).toEqual({ event: 'b24:form:send:success', seconds: 15 });
  });

  it('a stored confirm opens as its preset, or as custom', () => {
    expect(sendWhenFrom({ selector: '.t-form__successbox', seconds: 7 })).toEqual({ preset: 'tilda', selector: '.t-form__successbox', event: '', seconds: '7' });
    expect(sendWhenFrom({ event: 'wpcf7mailsent', seconds: 10 }).preset).toBe('cf7');
    expect(sendWhenFrom({ selector: '.done', event: 'sent', seconds: 10 })).toEqual({ preset: 'custom', selector: '.done', event: 'sent', seconds: '10' });
  });

  it('a custom condition: trimmed, the empty parts left out; refused when it could never confirm', () => {
    const custom = (selector: string, event: string, seconds = '10') => ({ preset: 'custom' as const, selector, event, seconds });
    expect(confirmFrom(custom(' .done ', ''), 'click').confirm).toEqual({ selector: '.done', seconds: 10 });
    expect(confirmFrom(custom('', ''), 'submit').confirm).toEqual({ seconds: 10 });
    expect(confirmFrom(custom('', ''), 'click').error).toMatch(/give an element or an event/);
    expect(confirmFrom(custom('.a', '', '0'), 'click').error).toMatch(/from 1 to 300 seconds/);
    expect(confirmFrom(custom('.a', '', '301'), 'click').error).toMatch(/from 1 to 300 seconds/);
    expect(confirmFrom(custom('[[', ''), 'click', () => false).error).toMatch(/"\[\[" is not a valid CSS selector/);
  });

  it('the editor saves what the admin API accepts, and reports a wrong condition under "confirm"', () => {
    const state = editorStateFrom({ selector: '#f', title: 'Order', trigger: 'click' });
    const tilda = toFormConfig({ ...state, sendWhen: { preset: 'tilda', selector: '', event: '', seconds: '10' } });
    expect(FormConfigBody.safeParse(tilda.config).success).toBe(true);
    expect(toFormConfig({ ...state, sendWhen: { preset: 'custom', selector: '', event: '', seconds: '10' } }).errors).toHaveProperty('confirm');
  });
});
