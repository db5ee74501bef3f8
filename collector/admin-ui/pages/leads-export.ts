// The leads list's export: every page of the current filter as an XLSX or a CSV file the browser downloads.
import type { Lead } from '../../../shared/schemas.ts';
import { adminApi } from '../api.ts';
import { csvSeparatorFor, leadTable, leadsToCsv } from '../lib/csv.ts';
import { locale } from '../lib/i18n.ts';
import { xlsxWorkbook } from '../lib/xlsx.ts';
import type { LeadsFilter } from './leads-filters.tsx';

/** The export fetches every page of the current filter, but stops here so a browser tab stays usable. */
const EXPORT_MAX_LEADS = 100_000;

/** Downloads the filter's leads as `leads-{project}-{date}.xlsx` or `.csv`; returns how many were exported. */
export async function exportLeads(projectId: string, filter: LeadsFilter, kind: 'xlsx' | 'csv'): Promise<number> {
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
  return all.length;
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
