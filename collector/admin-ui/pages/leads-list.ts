// The leads list's data: the first page of the filter, older pages on demand (`next` → `before`), and the
// refresh that keeps the first page current without a reload.
import { useEffect, useState } from 'preact/hooks';
import type { Lead } from '../../../shared/schemas.ts';
import { adminApi } from '../api.ts';
import { isInFlight } from '../lib/status.ts';
import { usePolling } from '../ui.tsx';
import type { LeadsFilter } from './leads-filters.tsx';

const PAGE_SIZE = 50;
/** How often the first page is fetched again: often while a shown lead is on its way to the CRM. */
const REFRESH_MS = 4000;
const REFRESH_IN_FLIGHT_MS = 1000;

/**
 * The leads shown for the filter (null while the first page loads), the cursor of the next older page, and the
 * last error. `reload` fetches the first page again; `loadMore` appends the next page and throws on failure.
 */
export function useLeadPages(projectId: string, filter: LeadsFilter) {
  const [leads, setLeads] = useState<Lead[] | null>(null);
  const [next, setNext] = useState<string | null>(null);
  const [error, setError] = useState<unknown>(null);

  const reload = async () => {
    try {
      const page = await adminApi.listLeads(projectId, { ...filter, limit: PAGE_SIZE });
      setLeads(page.items);
      setNext(page.next);
      setError(null);
    } catch (err) {
      setError(err);
    }
  };
  useEffect(() => {
    setLeads(null);
    void reload();
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
    const page = await adminApi.listLeads(projectId, { ...filter, limit: PAGE_SIZE, before: next });
    setLeads((old) => dedupe([...(old ?? []), ...page.items]));
    setNext(page.next);
  };

  return { leads, next, error, setError, reload, loadMore };
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
