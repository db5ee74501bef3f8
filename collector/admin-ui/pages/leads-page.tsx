// The leads list: a summary on top, then newest first, each with its delivery state; filter, search,
// more pages, export (XLSX, CSV), resend one, the selected, or all failed. The filter bar, the pages of
// leads and the export are modules of their own (leads-*.ts[x]).
import { useEffect, useState } from 'preact/hooks';
import type { Lead } from '../../../shared/schemas.ts';
import { adminApi, type LeadsSummary } from '../api.ts';
import { messages } from '../lib/i18n.ts';
import { ErrorMessage, Loading, Notice, usePolling } from '../ui.tsx';
import { exportLeads } from './leads-export.ts';
import { LeadsFilters, type LeadsFilter } from './leads-filters.tsx';
import { useLeadPages } from './leads-list.ts';
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
    noMatch: 'Ни одна заявка не подходит под фильтр.',
    noLeads: 'Заявок пока нет. Они появятся здесь, как только посетитель отправит настроенную форму.',
    older: 'Показать более старые',
  },
});

/** The summary is fetched again this often (it counts 30 days: no need to follow every lead). */
const SUMMARY_REFRESH_MS = 15_000;

export function LeadsPage({ projectId }: { projectId: string }) {
  const [filter, setFilter] = useState<LeadsFilter>({ status: '', q: '' });
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

  const { leads, next, error, setError, reload, loadMore } = useLeadPages(projectId, filter);

  /** Runs a step that keeps the buttons disabled meanwhile and shows its failure above the list. */
  const busyWhile = async (step: () => Promise<void>) => {
    setBusy(true);
    try {
      await step();
    } catch (err) {
      setError(err);
    } finally {
      setBusy(false);
    }
  };

  const runExport = (kind: 'xlsx' | 'csv') => {
    setNotice('');
    return busyWhile(async () => setNotice(t('exported', { n: await exportLeads(projectId, filter, kind) })));
  };

  const afterResend = async (message: string) => {
    setNotice(message);
    setSelected(new Set());
    await Promise.all([reload(), loadSummary()]);
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
  const resendMany = (which: { ids: string[] } | { status: 'failed' }) => {
    setNotice('');
    return busyWhile(async () => {
      const { queued } = await adminApi.resendLeads(projectId, which);
      await afterResend(t('queuedMany', { n: queued }));
    });
  };

  return (
    <section>
      <div class="page-head">
        <h1>{t('leads')}</h1>
        <div class="head-actions">
          <button type="button" onClick={() => runExport('xlsx')} disabled={busy}>
            {t('exportXlsx')}
          </button>
          <button type="button" onClick={() => runExport('csv')} disabled={busy}>
            {t('exportCsv')}
          </button>
        </div>
      </div>
      {summary && <LeadsSummaryPanel projectId={projectId} summary={summary} busy={busy} onResendFailed={() => resendMany({ status: 'failed' })} />}
      <LeadsFilters filter={filter} onChange={setFilter} />
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
          <button type="button" onClick={() => busyWhile(loadMore)} disabled={busy}>
            {t('older')}
          </button>
        </p>
      )}
    </section>
  );
}
