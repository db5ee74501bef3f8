import { describe, expect, it } from 'vitest';
import { VARIABLE_GROUPS, insertVariable } from './variables.ts';

describe('title variables helper', () => {
  it('inserts at the caret, or over the selection', () => {
    expect(insertVariable('Order from ', 'utmSource', 11)).toEqual({ text: 'Order from {utmSource}', caret: 22 });
    expect(insertVariable('Order XXX now', 'visit', 6, 9)).toEqual({ text: 'Order {visit} now', caret: 13 });
    expect(insertVariable('ab', 'ip', 99)).toEqual({ text: 'ab{ip}', caret: 6 });
  });

  it('offers every variable the README lists', () => {
    const names = new Set(VARIABLE_GROUPS.flatMap((g) => g.items.map((i) => i.name)));
    const spec = [
      'visit', 'firstVisit', 'utmSource', 'utmMedium', 'utmCampaign', 'utmTerm', 'utmContent', 'referrer', 'landingPage', 'orderPage',
      'domain', 'date', 'ip', 'agent', 'os', 'city', 'region', 'country', 'name', 'phone', 'email', 'googleClientId', 'metrikaClientId',
      'facebookClientId', 'yclid', 'source', 'orderCreationMethod',
      ...[1, 2, 3, 4, 5, 6, 7].flatMap((n) => [`sourceLevel${n}`, `sourceAliasLevel${n}`]),
      ...[1, 2, 3, 4, 5].map((n) => `roistatParam${n}`),
    ];
    expect(spec.filter((v) => !names.has(v))).toEqual([]);
  });
});
