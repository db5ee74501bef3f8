// The `{roistat_marker}` a visit gets from where it came (README "Variables"): its utm tags, a
// social network, a search engine, another site, or none. Pure and runtime-neutral, like variables.ts.
import type { Utm } from './schemas.ts';
import { hostnameOf, stripWww, levelText } from './variable-formats.ts';

/** UTM tags as parsed (a zod `.partial()` object): any tag may be absent or undefined. */
export type SomeUtm = { [K in keyof Utm]?: Utm[K] | undefined };

const SEARCH_ENGINES: Record<string, string> = {
  google: 'google',
  yandex: 'yandex',
  ya: 'yandex',
  bing: 'bing',
  duckduckgo: 'duckduckgo',
  yahoo: 'yahoo',
  baidu: 'baidu',
  'go.mail': 'mail',
  'search.mail': 'mail',
  rambler: 'rambler',
};

const SOCIAL: Record<string, string> = {
  'vk.com': 'vk',
  'vk.ru': 'vk',
  'ok.ru': 'ok',
  'facebook.com': 'facebook',
  'l.facebook.com': 'facebook',
  'm.facebook.com': 'facebook',
  'instagram.com': 'instagram',
  'l.instagram.com': 'instagram',
  't.me': 'telegram',
  'web.telegram.org': 'telegram',
  'twitter.com': 'twitter',
  'x.com': 'twitter',
  't.co': 'twitter',
  'linkedin.com': 'linkedin',
  'youtube.com': 'youtube',
  'dzen.ru': 'dzen',
};

/**
 * The source marker of a visit that arrived with no explicit one. The rule, first match wins:
 * 1. utm tags: `source_medium_campaign_term_content`, trailing empty levels dropped, an empty middle
 *    level written `none`;
 * 2. a click id: gclid → `google_cpc`, yclid → `yandex_cpc`, fbclid → `facebook_cpc`;
 * 3. a referrer on another host: a search engine → `search_<engine>`, a social network →
 *    `social_<network>`, any other site → `referral_<host>`;
 * 4. otherwise `direct`.
 * `_` inside a value becomes `-`, so each value stays one level.
 */
export function deriveSourceMarker(v: {
  utm?: SomeUtm;
  clickIds?: Record<string, string>;
  referrer?: string;
  landingPage?: string;
}): string {
  const utm = v.utm ?? {};
  if (utm.source) {
    const parts = [utm.source, utm.medium, utm.campaign, utm.term, utm.content].map((p) => levelText(p ?? ''));
    while (parts.length > 1 && parts[parts.length - 1] === '') parts.pop();
    return parts.map((p) => p || 'none').join('_');
  }
  const clickIds = v.clickIds ?? {};
  if (clickIds['gclid']) return 'google_cpc';
  if (clickIds['yclid']) return 'yandex_cpc';
  if (clickIds['fbclid']) return 'facebook_cpc';
  const refHost = stripWww(hostnameOf(v.referrer ?? ''));
  if (refHost && refHost !== stripWww(hostnameOf(v.landingPage ?? ''))) {
    const social = SOCIAL[refHost];
    if (social) return `social_${social}`;
    const engine = searchEngineOf(refHost);
    if (engine) return `search_${engine}`;
    return `referral_${levelText(refHost)}`;
  }
  return 'direct';
}

function searchEngineOf(host: string): string {
  const labels = host.split('.');
  // "www.google.co.uk" and "yandex.ru" both name the engine in their first label.
  const first = labels[0] ?? '';
  const two = labels.slice(0, 2).join('.');
  return SEARCH_ENGINES[two] ?? SEARCH_ENGINES[first] ?? '';
}

export function aliasFor(levels: string[], aliases: Record<string, string>): string {
  const path = levels.join('_');
  const own = (key: string) => (Object.prototype.hasOwnProperty.call(aliases, key) ? aliases[key] : undefined);
  // Without an alias the level's own value is the most readable name we have.
  return own(path) ?? own(levels[levels.length - 1] ?? '') ?? levels[levels.length - 1] ?? '';
}
