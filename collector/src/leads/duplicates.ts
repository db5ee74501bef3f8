// Roistat's duplicate rules (docs/data-model.md "Duplicates"): which earlier lead a new one repeats,
// and the note the original gets. Pure: the store finds the candidates, these rules pick.
import type { LeadStatus } from '../../../shared/schemas.ts';
import type { NewLead } from '../store/types.ts';

/** Roistat's duplicate window. */
export const DUPLICATE_WINDOW_MS = 12 * 3600 * 1000;

/** An earlier lead with the same phone or email inside the window, as the store found it. */
export interface DuplicateCandidate {
  id: string;
  /** The stored status (docs/data-model.md "Lead statuses"). */
  status: LeadStatus;
  createdAt: number;
}

/**
 * The original a new lead repeats, by Roistat's rules: same phone or email within 12 hours (the
 * candidates are already filtered by those); in the default mode only originals still in work count:
 * not a failed one, nor one kept out of the CRM (not_sent: e.g. its form was switched off), or a
 * repeat of it would never reach the CRM either. A test lead is never an original.
 */
export function pickOriginal(candidates: readonly DuplicateCandidate[], mode: NewLead['duplicateCheck']): DuplicateCandidate | undefined {
  return candidates
    .filter((c) => c.status !== 'test' && c.status !== 'duplicate' && (mode === 'all' || (c.status !== 'failed' && c.status !== 'not_sent')))
    .sort((a, b) => b.createdAt - a.createdAt)[0];
}

/** The comment a repeat leaves on its original (appendDuplicateComment). */
export function duplicateNote(newId: string, lead: NewLead): { title: string; message: string } {
  return {
    title: 'Duplicate request',
    message: `Repeated request ${newId}: ${[lead.name, lead.phone, lead.email].filter(Boolean).join(', ')}`,
  };
}
