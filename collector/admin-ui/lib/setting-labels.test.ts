import { afterEach, describe, expect, it } from 'vitest';
import { allAdapters } from '../../src/crm/index.ts';
import { setLanguage } from './i18n.ts';
import { settingExplanation, settingHelpUrl, settingLabel } from './setting-labels.ts';

describe('integration settings in words', () => {
  afterEach(() => setLanguage('en'));

  it('labels and explains every setting of every CRM, in English and Russian, never by its raw key', () => {
    for (const lang of ['en', 'ru'] as const) {
      setLanguage(lang);
      for (const adapter of allAdapters()) {
        for (const name of adapter.settings) {
          expect(settingLabel(name), `${adapter.type}.${name}`).not.toBe(name);
          expect(settingExplanation(name), `${adapter.type}.${name}`).not.toBe('');
        }
      }
    }
    setLanguage('ru');
    expect(settingLabel('secret')).toBe('Секрет подписи');
    setLanguage('en');
    expect(settingLabel('url')).toBe('Webhook URL');
  });

  it("links every credential of each CRM (not the webhook) to that CRM's own documentation", () => {
    const crms = allAdapters().filter((a) => a.type !== 'webhook');
    expect(crms.map((a) => a.type).sort()).toEqual(
      ['amocrm', 'bitrix24', 'bitrix24_leads', 'freshoffice', 'hubspot', 'megaplan', 'moysklad', 'retailcrm', 'salesforce', 'uon', 'yclients'].sort(),
    );
    const host: Record<string, RegExp> = {
      amocrm: /amocrm\.ru/, retailcrm: /retailcrm\.ru/, bitrix24: /bitrix24\.ru/, bitrix24_leads: /bitrix24\.ru/, moysklad: /moysklad\.ru/, megaplan: /megaplan\.ru/,
      yclients: /yclients\.com/, salesforce: /salesforce\.com/, freshoffice: /myfreshcloud\.com/, uon: /u-on\.ru/, hubspot: /hubspot\.com/,
    };
    for (const adapter of crms) {
      for (const name of adapter.secretSettings) {
        const url = settingHelpUrl(adapter.type, name);
        expect(url, `${adapter.type}.${name}`).toMatch(/^https:\/\//);
        expect(new URL(url!).hostname, adapter.type).toMatch(host[adapter.type]!);
      }
    }
    expect(settingHelpUrl('amocrm', 'baseUrl')).toBeNull();
    expect(settingHelpUrl('webhook', 'secret')).toBeNull();
  });
});
