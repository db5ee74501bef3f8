// The {variables} (README "Variables") for the title helper, grouped so a marketer finds one quickly.
export interface VariableGroup {
  label: string;
  items: { name: string; hint: string }[];
}

const levels = (prefix: string, hint: string) =>
  [1, 2, 3, 4, 5, 6, 7].map((n) => ({ name: `${prefix}${n}`, hint: `${hint} ${n}` }));

export const VARIABLE_GROUPS: VariableGroup[] = [
  {
    label: 'Client',
    items: [
      { name: 'name', hint: 'Name the client typed' },
      { name: 'phone', hint: 'Phone the client typed' },
      { name: 'email', hint: 'Email the client typed' },
    ],
  },
  {
    label: 'Visit',
    items: [
      { name: 'visit', hint: 'Visit number' },
      { name: 'firstVisit', hint: 'Number of the first visit' },
      { name: 'date', hint: 'Date of the visit' },
      { name: 'domain', hint: 'Site domain' },
      { name: 'landingPage', hint: 'Landing page' },
      { name: 'orderPage', hint: 'Page the lead was sent from' },
      { name: 'referrer', hint: 'Page the visitor came from' },
      { name: 'orderCreationMethod', hint: 'How the lead was made' },
    ],
  },
  {
    label: 'Ads',
    items: [
      { name: 'utmSource', hint: 'utm_source' },
      { name: 'utmMedium', hint: 'utm_medium' },
      { name: 'utmCampaign', hint: 'utm_campaign' },
      { name: 'utmTerm', hint: 'utm_term' },
      { name: 'utmContent', hint: 'utm_content' },
      { name: 'source', hint: 'Source marker' },
      ...levels('sourceLevel', 'Source marker, level'),
      ...levels('sourceAliasLevel', 'Readable source name, level'),
      ...[1, 2, 3, 4, 5].map((n) => ({ name: `roistatParam${n}`, hint: `URL parameter roistat_param${n}` })),
    ],
  },
  {
    label: 'Device and place',
    items: [
      { name: 'ip', hint: 'Visitor IP address' },
      { name: 'agent', hint: 'Browser' },
      { name: 'os', hint: 'Operating system' },
      { name: 'city', hint: 'City' },
      { name: 'region', hint: 'Region' },
      { name: 'country', hint: 'Country' },
    ],
  },
  {
    label: 'Analytics ids',
    items: [
      { name: 'googleClientId', hint: 'Google Analytics client id (_ga)' },
      { name: 'metrikaClientId', hint: 'Yandex Metrica client id (_ym_uid)' },
      { name: 'facebookClientId', hint: 'Facebook click id (_fbc / fbclid)' },
      { name: 'yclid', hint: 'Yandex Direct click id' },
    ],
  },
];

/** Inserts `{name}` into text at the caret (or replaces the selection); returns the text and the new caret. */
export function insertVariable(text: string, name: string, start: number, end = start): { text: string; caret: number } {
  const s = Math.max(0, Math.min(start, text.length));
  const e = Math.max(s, Math.min(end, text.length));
  const token = `{${name}}`;
  return { text: text.slice(0, s) + token + text.slice(e), caret: s + token.length };
}
