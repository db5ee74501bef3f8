// The leads list: newest first, each with its delivery state; filter, search, more pages, CSV, resend.
import { useEffect, useState } from 'preact/hooks';
import type { Lead, LeadStatus } from '../../../shared/schemas.ts';
import { adminApi } from '../api.ts';
import { leadsToCsv } from '../lib/csv.ts';
import { paths } from '../lib/routes.ts';
import { can } from '../lib/access.ts';
import { STATUS_LABELS, canResend, formatTime, isInFlight } from '../lib/status.ts';
import { StatusBadge } from '../status-badge.tsx';
import { ErrorMessage, Link, Loading, Notice, usePolling } from '../ui.tsx';

const PAGE_SIZE = 50;
/** How often the first page is fetched again: often while a shown lead is on its way to the CRM. */
const REFRESH_MS = 4000;
const REFRESH_IN_FLIGHT_MS = 1000;
/** CSV export fetches every page of the current filter, but stops here so a browser tab stays usable. */
const CSV_MAX_LEADS = 100_000;

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

  const exportCsv = async () => {
    setBusy(true);
    setNotice('');
    try {
      const all: Lead[] = [];
      let before: string | null = null;
      do {
        const page = await adminApi.listLeads(projectId, { ...filter, limit: 200, before });
        all.push(...page.items);
        before = page.next;
      } while (before && all.length < CSV_MAX_LEADS);
      download(`leads-${projectId}-${new Date().toISOString().slice(0, 10)}.csv`, leadsToCsv(all));
      setNotice(`Exported ${all.length} lead${all.length === 1 ? '' : 's'}.`);
    } catch (err) {
      setError(err);
    } finally {
      setBusy(false);
    }
  };

  const resend = async (lead: Lead) => {
    setNotice('');
    try {
      await adminApi.resendLead(projectId, lead.id);
      setNotice(`Lead ${lead.name || lead.id} is queued to be sent again.`);
      await loadFirst(filter);
    } catch (err) {
      setError(err);
    }
  };

  return (
    <section>
      <div class="page-head">
        <h1>Leads</h1>
        <button type="button" onClick={exportCsv} disabled={busy}>
          Export CSV
        </button>
      </div>
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
          <label for="leads-status">Status</label>
          <select id="leads-status" value={filter.status} onChange={(e) => setFilter({ ...filter, status: e.currentTarget.value as LeadStatus | '' })}>
            <option value="">Any status</option>
            {(Object.keys(STATUS_LABELS) as LeadStatus[]).map((s) => (
              <option key={s} value={s}>
                {STATUS_LABELS[s]}
              </option>
            ))}
          </select>
        </div>
        <div class="grow">
          <label for="leads-q">Search</label>
          <input id="leads-q" type="search" value={qInput} onInput={(e) => setQInput(e.currentTarget.value)} placeholder="name, phone, email, title…" />
        </div>
        <button type="submit">Find</button>
      </form>
      <ErrorMessage error={error} />
      {notice && <Notice onClose={() => setNotice('')}>{notice}</Notice>}
      {leads === null && !error && <Loading />}
      {leads !== null && leads.length === 0 && (
        <div class="empty card">
          <p>{filter.status || filter.q ? 'No lead matches this filter.' : 'No leads yet. They appear here as soon as a visitor sends a form you set up.'}</p>
        </div>
      )}
      {leads !== null && leads.length > 0 && (
        <div class="table-wrap">
          <table class="table leads">
            <thead>
              <tr>
                <th scope="col">Status</th>
                <th scope="col">When</th>
                <th scope="col">Client</th>
                <th scope="col">Deal title</th>
                <th scope="col">Tries</th>
                <th scope="col">
                  <span class="visually-hidden">Actions</span>
                </th>
              </tr>
            </thead>
            <tbody>
              {leads.map((lead) => (
                <tr key={lead.id}>
                  <td>
                    <StatusBadge lead={lead} projectId={projectId} />
                  </td>
                  <td class="nowrap">{formatTime(lead.createdAt)}</td>
                  <td>
                    <div class="client-name">
                      <Link href={paths.lead(projectId, lead.id)}>{lead.name || lead.phone || lead.email || '(no name)'}</Link>
                    </div>
                    {lead.name && lead.phone && <div>{lead.phone}</div>}
                    {(lead.name || lead.phone) && lead.email && <div>{lead.email}</div>}
                  </td>
                  <td class="wrap">{lead.title}</td>
                  <td>{lead.attemptCount}</td>
                  <td class="actions">
                    {canResend(lead.status) && can('marketer') && (
                      <button type="button" onClick={() => resend(lead)}>
                        Resend
                      </button>
                    )}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
      {next && (
        <p>
          <button type="button" onClick={loadMore} disabled={busy}>
            Show older leads
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

function download(filename: string, text: string): void {
  // A BOM makes Excel read the UTF-8 (Cyrillic names) correctly.
  const url = URL.createObjectURL(new Blob(['\uFEFF', text], { type: 'text/csv;charset=utf-8' }));
  const a = document.createElement('a');
  a.href = url;
  a.download = filename;
  document.body.append(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(url), 10_000);
}
