// @vitest-environment happy-dom
import { describe, expect, test, vi } from 'vitest';
import type { SiteLeadBody } from '../../shared/schemas.ts';
import { installApi, reachBody, type LeadrelayApi, type ReachResult } from '../api.ts';

const context = { page: 'p', referrer: '', landingPage: '', visit: 1, firstVisit: 1, utm: {}, clickIds: {}, cookies: {}, params: {} };

describe('reachBody', () => {
  test('maps the Roistat-style parameters to a js lead', () => {
    const body = reachBody(
      { title: 'Order', name: 'Ann', phone: 79000000000, email: 'a@b.c', comment: 'hi', fields: { price: 100, tags: ['a', 2], skip: null }, is_skip_sending: '1', is_need_callback: 0 },
      'client-id-1',
      context,
    );
    expect(body).toEqual({
      clientId: 'client-id-1',
      formId: null,
      source: 'js',
      title: 'Order',
      name: 'Ann',
      phone: '79000000000',
      email: 'a@b.c',
      comment: 'hi',
      fields: { price: '100', tags: ['a', '2'] },
      isSkipSending: true,
      callback: false,
      context,
    } satisfies SiteLeadBody);
  });

  test('absent flags are left out, so the form and project defaults apply', () => {
    const body = reachBody({ phone: '1' }, 'client-id-1', context);
    expect(JSON.parse(JSON.stringify(body))).not.toHaveProperty('isSkipSending');
    expect(JSON.parse(JSON.stringify(body))).not.toHaveProperty('callback');
    expect(reachBody({ is_need_callback: '1', is_skip_sending: false }, 'c', context)).toMatchObject({ callback: true, isSkipSending: false });
  });
});

describe('installApi', () => {
  test('calls queued before load with leadrelay.push are replayed, later push() and reach() work', async () => {
    const win: { leadrelay?: unknown } = {};
    win.leadrelay = (win.leadrelay as unknown[]) || [];
    (win.leadrelay as unknown[]).push(['reach', { phone: '1' }], ['reach', { phone: '2' }]);
    const reach = vi.fn(async (): Promise<ReachResult> => ({ status: 'success', id: 'L' }));
    installApi(win, reach, () => {});
    expect(reach.mock.calls.map((c) => (c as unknown[])[0])).toEqual([{ phone: '1' }, { phone: '2' }]);
    const api = win.leadrelay as LeadrelayApi;
    api.push(['reach', { phone: '3' }]);
    expect(reach).toHaveBeenCalledTimes(3);
    await expect(api.reach({ phone: '4' })).resolves.toEqual({ status: 'success', id: 'L' });
  });

  test('reach() never rejects: a failure resolves as an error result', async () => {
    const win: { leadrelay?: unknown } = {};
    const api = installApi(win, async () => { throw new TypeError('bad argument'); }, () => {});
    await expect(api.reach(null as never)).resolves.toEqual({ status: 'error', message: 'TypeError: bad argument' });
  });

  test('an unknown command is logged, not thrown', () => {
    const lines: unknown[] = [];
    const api = installApi({}, async () => ({ status: 'queued' }), (...a) => lines.push(a));
    expect(() => api.push(['track', {}])).not.toThrow();
    expect(() => api.push('nonsense')).not.toThrow();
    expect(lines).toHaveLength(2);
  });
});
