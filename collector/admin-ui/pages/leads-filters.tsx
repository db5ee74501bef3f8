// The leads list's filter bar: a status and a search; the search applies on "Find" (or Enter), the status at once.
import { useState } from 'preact/hooks';
import type { LeadStatus } from '../../../shared/schemas.ts';
import { messages } from '../lib/i18n.ts';
import { LEAD_STATUSES, statusLabel } from '../lib/status.ts';

const t = messages({
  en: {
    status: 'Status',
    anyStatus: 'Any status',
    search: 'Search',
    searchPlaceholder: 'name, phone, email, title…',
    find: 'Find',
  },
  ru: {
    status: 'Статус',
    anyStatus: 'Любой статус',
    search: 'Поиск',
    searchPlaceholder: 'имя, телефон, email, название…',
    find: 'Найти',
  },
});

export interface LeadsFilter {
  status: LeadStatus | '';
  q: string;
}

export function LeadsFilters({ filter, onChange }: { filter: LeadsFilter; onChange: (filter: LeadsFilter) => void }) {
  const [qInput, setQInput] = useState('');
  return (
    // biome-ignore lint/a11y/useSemanticElements: a form with role=search; the <search> element is too new for the browsers the admin UI supports
    <form
      class="filters"
      role="search"
      onSubmit={(ev) => {
        ev.preventDefault();
        onChange({ ...filter, q: qInput.trim() });
      }}
    >
      <div>
        <label for="leads-status">{t('status')}</label>
        <select id="leads-status" value={filter.status} onChange={(e) => onChange({ ...filter, status: e.currentTarget.value as LeadStatus | '' })}>
          <option value="">{t('anyStatus')}</option>
          {LEAD_STATUSES.map((s) => (
            <option key={s} value={s}>
              {statusLabel(s)}
            </option>
          ))}
        </select>
      </div>
      <div class="grow">
        <label for="leads-q">{t('search')}</label>
        <input id="leads-q" type="search" value={qInput} onInput={(e) => setQInput(e.currentTarget.value)} placeholder={t('searchPlaceholder')} />
      </div>
      <button type="submit">{t('find')}</button>
    </form>
  );
}
