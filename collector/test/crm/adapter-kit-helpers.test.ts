// The helpers every adapter leans on: a wrong one breaks ten CRMs at once.
import { describe, expect, it } from 'vitest';
import { checkConnection, firstValue, setting } from '../../src/crm/adapter-kit.ts';
import { CrmError, type CrmContext } from '../../src/crm/types.ts';

const ctx = (settings: Record<string, string>): CrmContext => ({ settings, fetch });

describe('adapter kit', () => {
  it('setting: trims, falls back on a blank or missing value, and a missing required one is permanent', () => {
    expect(setting(ctx({ baseUrl: '  https://a.example  ' }), 'baseUrl', 'https://default')).toBe('https://a.example');
    expect(setting(ctx({ baseUrl: '   ' }), 'baseUrl', 'https://default')).toBe('https://default');
    expect(setting(ctx({}), 'externalIdField', '')).toBe('');
    let err: unknown;
    try {
      setting(ctx({}), 'token');
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(CrmError);
    expect((err as CrmError).permanent).toBe(true);
    expect((err as CrmError).message).toContain('"token"');
  });

  it('firstValue: the first of a list, undefined for an empty list or no value', () => {
    expect(firstValue(['3', '4'])).toBe('3');
    expect(firstValue('7')).toBe('7');
    expect(firstValue([])).toBeUndefined();
    expect(firstValue(undefined)).toBeUndefined();
  });

  it('checkConnection: the message on success, ok:false with the error message on failure', async () => {
    expect(await checkConnection(async () => 'Connected')).toEqual({ ok: true, message: 'Connected' });
    expect(await checkConnection(async () => Promise.reject(new Error('HTTP 401: bad token')))).toEqual({ ok: false, message: 'HTTP 401: bad token' });
    expect(await checkConnection(async () => Promise.reject('plain'))).toEqual({ ok: false, message: 'plain' });
  });
});
