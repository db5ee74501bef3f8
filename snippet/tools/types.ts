// What s.js hands the lazy tools bundle (s-tools.js, ARCHITECTURE.md "The tools bundle"), and the
// inspector's report (contract: docs/http-api.md "Seeing that a setup works").
import type { FieldRule, PublicFormConfig } from '../../shared/form-config.ts';

export interface FieldReport {
  key: string;
  source: FieldRule['source'];
  value: string;
  required: boolean;
  /** A control with that name exists in a matched element (always true for static and js rules). */
  found: boolean;
  /** The value it would read now ("" for password, file, cc-* and ignored controls). */
  preview: string;
}

export interface FormReport {
  id: string;
  title: string;
  trigger: PublicFormConfig['trigger'];
  selector: string;
  /** The form's site rules allow this hostname. */
  applies: boolean;
  /** How many elements on the page match its selector now (open shadow roots included). */
  matches: number;
  fields: FieldReport[];
  /**
   * Only for a form with `confirm`: how its last lead on this page fared: "no lead yet", "waiting for its
   * confirmation", "confirmed", "dropped: not confirmed" (nothing within its seconds) or "dropped: replaced".
   */
  confirmation?: string;
}

export interface InspectReport {
  project: string;
  visit: number | null;
  forms: FormReport[];
}

export interface Tools {
  inspect(): Promise<InspectReport>;
  /** Reports a submitted form that no config matched (missed.ts). */
  missed(form: HTMLFormElement): void;
}

/**
 * s-tools.js is an ES module exporting this as `start`; s.js imports it (`import()`) and calls it once.
 * Positional, as everywhere in the snippet (names of a deps object survive minification in s.js).
 */
export type StartTools = (
  win: Window,
  project: string,
  base: string,
  forms: () => PublicFormConfig[],
  visit: () => number | null,
  debug: boolean,
  pick: boolean,
  /** The debug log's lines so far (numbered messages: messages.ts); printed and then followed. */
  lines: unknown[][],
) => Tools;
