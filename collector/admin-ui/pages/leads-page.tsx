// The leads list: a summary on top, then newest first, each with its delivery state; filter, search,
// more pages, export (XLSX, CSV), resend one, the selected, or all failed.
import { useEffect, useState } from 'preact/hooks';
import type { Lead, LeadStatus } from '../../../shared/schemas.ts';
import { adminApi, type LeadsSummary } from '../api.ts';
import { csvSeparatorFor, leadTable, leadsToCsv } from '../lib/csv.ts';
import { locale, messages } from '../lib/i18n.ts';
import { LEAD_STATUSES, isInFlight, statusLabel } from '../lib/status.ts';
import { xlsxWorkbook } from '../lib/xlsx.ts';
import { ErrorMessage, Loading, Notice, usePolling } from '../ui.tsx';
import { LeadsSummaryPanel } from './leads-summary.tsx';
import { LeadsTable } from './leads-table.tsx';

const t = messages({
  en: {
    exported: 'Exported {n} leads.',
    queuedOne: 'Lead {name} is queued to be sent again.',
    queuedMany: '{n} leads are queued to be sent again.',
    leads: 'Leads',
    exportXlsx: 'Export XLSX',
    exportCsv: 'Export CSV',
    status: 'Status',
    anyStatus: 'Any status',
    search: 'Search',
    searchPlaceholder: 'name, phone, email, title…',
    find: 'Find',
    noMatch: 'No lead matches this filter.',
    noLeads: 'No leads yet. They appear here as soon as a visitor sends a form you set up.',
    older: 'Show older leads',
  },
  ru: {
    exported: 'Выгружено заявок: {n}.',
    queuedOne: 'Заявка {name} поставлена в очередь на повторную отправку.',
    queuedMany: 'Поставлено в очередь на повторную отправку: {n}.',
    leads: 'Заявки',
    exportXlsx: 'Выгрузить XLSX',
    exportCsv: 'Выгрузить CSV',
    status: 'Статус',
    anyStatus: 'Любой статус',
    search: 'Поиск',
    searchPlaceholder: 'имя, телефон, email, название…',
    find: 'Найти',
    noMatch: 'Ни одна заявка не подходит под фильтр.',
    noLeads: 'Заявок пока нет. Они появятся здесь, как только посетитель отправит настроенную форму.',
    older: 'Показать более старые',
  },
});

const PAGE_SIZE = 50;
/** How often the first page is fetched again: often while a shown lead is on its way to the CRM. */
const REFRESH_MS = 4000;
const REFRESH_IN_FLIGHT_MS = 1000;
/** The export fetches every page of the current filter, but stops here so a browser tab stays usable. */
const EXPORT_MAX_LEADS = 100_000;
/** The summary is fetched again this often (it counts 30 days: no need to follow every lead). */
const SUMMARY_REFRESH_MS = 15_000;

interface Filter {
  status: LeadStatus | '';
  q: string;
}

export function LeadsPage({ projectId }: { projectId: string }) {
  const [filter, setFilter] = useState<Filter>({ status: '', q: '' });
  const [qInput, setQInput] = useState('');
  const [leads, setLeads] = useState<Lead[] | null>(null);
  const [next, setNext] = useState<string | null>(null);
  const [error, setError] = useState<unknown>(null);
  const [notice, setNotice] = useState('');
  const [busy, setBusy] = useState(false);
  const [summary, setSummary] = useState<LeadsSummary | null>(null);
  const [formTitles, setFormTitles] = useState<Map<string, string>>(new Map());
  const [selected, setSelected] = useState<Set<string>>(new Set());

  const loadSummary = async () => {
    try {
      setSummary(await adminApi.leadsSummary(projectId));
    } catch {
      // The list below still works; the next refresh may bring the summary.
    }
  };
  useEffect(() => {
    void loadSummary();
    adminApi.listForms(projectId).then(
      (forms) => setFormTitles(new Map(forms.map((f) => [f.id, f.title || f.selector]))),
      () => setFormTitles(new Map()),
    );
  }, [projectId]);
  usePolling(() => void loadSummary(), SUMMARY_REFRESH_MS, true);

  const loadFirst = async (f: Filter) => {
    try {
      const page = await adminApi.listLeads(projectId, { ...f, limit: PAGE_SIZE });
      setLeads(page.items);
      setNext(page.next);
      setError(null);
    } catch (err) {
      setError(err);
    }
  };
  useEffect(() => {
    setLeads(null);
    void loadFirst(filter);
  }, [projectId, filter.status, filter.q]);

  // New leads and delivery results show up without a reload: the first page is fetched again and
  // merged in front of the pages already loaded.
  usePolling(
    async () => {
      if (!leads) return;
      try {
        const page = await adminApi.listLeads(projectId, { ...filter, limit: PAGE_SIZE });
        setLeads((old) => mergeFirstPage(page.items, old ?? [], PAGE_SIZE));
        if (leads.length <= PAGE_SIZE) setNext(page.next);
      } catch {
        // A failed refresh keeps what is shown; the next one may work.
      }
    },
    leads?.some((l) => isInFlight(l.status)) ? REFRESH_IN_FLIGHT_MS : REFRESH_MS,
    leads !== null,
  );

  const loadMore = async () => {
    if (!next) return;
    setBusy(true);
    try {
      const page = await adminApi.listLeads(projectId, { ...filter, limit: PAGE_SIZE, before: next });
      setLeads((old) => dedupe([...(old ?? []), ...page.items]));
      setNext(page.next);
    } catch (err) {
      setError(err);
    } finally {
      setBusy(false);
    }
  };

  const exportLeads = async (kind: 'xlsx' | 'csv') => {
    setBusy(true);
    setNotice('');
    try {
      const all: Lead[] = [];
      let before: string | null = null;
      do {
        const page = await adminApi.listLeads(projectId, { ...filter, limit: 200, before });
        all.push(...page.items);
        before = page.next;
      } while (before && all.length < EXPORT_MAX_LEADS);
      const name = `leads-${projectId}-${new Date().toISOString().slice(0, 10)}`;
      if (kind === 'xlsx') {
        const { header, rows } = leadTable(all);
        download(`${name}.xlsx`, new Blob([xlsxWorkbook(header, rows)], { type: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet' }));
      } else {
        // A BOM makes Excel read the UTF-8 (Cyrillic names) correctly; the separator is the one of the user's locale.
        download(`${name}.csv`, new Blob(['\uFEFF', leadsToCsv(all, csvSeparatorFor(locale()))], { type: 'text/csv;charset=utf-8' }));
      }
      setNotice(t('exported', { n: all.length }));
    } catch (err) {
      setError(err);
    } finally {
      setBusy(false);
    }
  };

  const afterResend = async (message: string) => {
    setNotice(message);
    setSelected(new Set());
    await Promise.all([loadFirst(filter), loadSummary()]);
  };
  const resend = async (lead: Lead) => {
    setNotice('');
    try {
      await adminApi.resendLead(projectId, lead.id);
      await afterResend(t('queuedOne', { name: lead.name || lead.id }));
    } catch (err) {
      setError(err);
    }
  };
  const resendMany = async (which: { ids: string[] } | { status: 'failed' }) => {
    setNotice('');
    setBusy(true);
    try {
      const { queued } = await adminApi.resendLeads(projectId, which);
      await afterResend(t('queuedMany', { n: queued }));
    } catch (err) {
      setError(err);
    } finally {
      setBusy(false);
    }
  };

  return (
    <section>
      <div class="page-head">
        <h1>{t('leads')}</h1>
        <div class="head-actions">
          <button type="button" onClick={() => exportLeads('xlsx')} disabled={busy}>
            {t('exportXlsx')}
          </button>
          <button type="button" onClick={() => exportLeads('csv')} disabled={busy}>
            {t('exportCsv')}
          </button>
        </div>
      </div>
      {summary && <LeadsSummaryPanel projectId={projectId} summary={summary} busy={busy} onResendFailed={() => resendMany({ status: 'failed' })} />}
      {/* biome-ignore lint/a11y/useSemanticElements: a form with role=search; the <search> element is too new for the browsers the admin UI supports */}
      <form
        class="filters"
        role="search"
        onSubmit={(ev) => {
          ev.preventDefault();
          setFilter({ ...filter, q: qInput.trim() });
        }}
      >
        <div>
          <label for="leads-status">{t('status')}</label>
          <select id="leads-status" value={filter.status} onChange={(e) => setFilter({ ...filter, status: e.currentTarget.value as LeadStatus | '' })}>
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
      <ErrorMessage error={error} />
      {notice && <Notice onClose={() => setNotice('')}>{notice}</Notice>}
      {leads === null && !error && <Loading />}
      {leads !== null && leads.length === 0 && (
        <div class="empty card">
          <p>{filter.status || filter.q ? t('noMatch') : t('noLeads')}</p>
        </div>
      )}
      {leads !== null && leads.length > 0 && (
        <LeadsTable
          projectId={projectId}
          leads={leads}
          formTitles={formTitles}
          selected={selected}
          onSelect={setSelected}
          busy={busy}
          onResend={resend}
          onResendSelected={(ids) => resendMany({ ids })}
        />
      )}
      {next && (
        <p>
          <button type="button" onClick={loadMore} disabled={busy}>
            {t('older')}
          </button>
        </p>
      )}
    </section>
  );
}

function dedupe(leads: Lead[]): Lead[] {
  const seen = new Set<string>();
  return leads.filter((l) => (seen.has(l.id) ? false : (seen.add(l.id), true)));
}

/**
 * A refreshed first page replaces what is shown when only one page was loaded (so a lead that left
 * the filter goes away); with more pages loaded, it goes in front of them.
 */
export function mergeFirstPage(first: Lead[], loaded: Lead[], pageSize: number): Lead[] {
  if (loaded.length <= pageSize) return first;
  return dedupe([...first, ...loaded]);
}

function download(filename: string, blob: Blob): void {
  const url = URL.createObjectURL(blob);
  const a = document.createElement('a');
  a.href = url;
  a.download = filename;
  document.body.append(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(url), 10_000);
}
