// The form config shapes (docs/http-api.md "Form config"): a form's fields, its confirm step, and
// what `/config` gives the snippet. The snippet imports types only (never zod itself).
import { z } from 'zod';
import { LIMITS } from './schemas.ts';

export const FieldRule = z.object({
  source: z.enum(['static', 'field', 'js']),
  value: z.string().max(8000),
  required: z.boolean().default(false),
});
export type FieldRule = z.infer<typeof FieldRule>;

export const ExtraFieldRule = FieldRule.extend({
  key: z.string().min(1, 'a CRM field key is required').max(256),
});
export type ExtraFieldRule = z.infer<typeof ExtraFieldRule>;

export const LeadFieldName = z.enum(['name', 'phone', 'email', 'comment']);
export type LeadFieldName = z.infer<typeof LeadFieldName>;

/**
 * When a captured lead is sent (docs/http-api.md "Confirmation"): only once, within `seconds`, an element
 * matching `selector` becomes visible, or an event named `event` reaches the page, or (trigger submit) the page
 * unloads; else it is dropped. null: at once.
 */
export const FormConfirm = z.object({
  selector: z.string().trim().min(1, 'leave it out or give a CSS selector').max(2000).optional(),
  event: z.string().trim().min(1, 'leave it out or give an event name').max(200).optional(),
  seconds: z.number().positive('must be more than 0').max(300, 'at most 300 (5 minutes)'),
});
export type FormConfirm = z.infer<typeof FormConfirm>;

export const FormConfigInput = z.object({
  enabled: z.boolean().default(true),
  title: z.string().max(LIMITS.title).default(''),
  trigger: z.enum(['submit', 'click']).default('submit'),
  selector: z.string().trim().min(1, 'a CSS selector is required').max(2000),
  callback: z.boolean().default(false),
  sendToCrm: z.boolean().default(true),
  sites: z.array(z.string().trim().min(1).max(253)).max(200).default([]),
  excludeSites: z.boolean().default(false),
  fields: z
    .object({
      name: FieldRule.optional(),
      phone: FieldRule.optional(),
      email: FieldRule.optional(),
      comment: FieldRule.optional(),
    })
    .default({}),
  extraFields: z.array(ExtraFieldRule).max(200).default([]),
  confirm: FormConfirm.nullable().default(null),
});
export type FormConfigInput = z.input<typeof FormConfigInput>;

/** Why a form's `confirm` could never confirm a lead, or null: a click has no page unload to wait for. */
export function confirmProblem(form: { trigger?: string; confirm?: FormConfirm | null }): string | null {
  const c = form.confirm;
  return c && form.trigger === 'click' && !c.selector && !c.event
    ? 'with trigger click give a selector or an event: only a submit can be confirmed by the page unloading'
    : null;
}

/** What the admin API takes for a form: the config, with `confirm` checked against the trigger. */
export const FormConfigBody = FormConfigInput.superRefine((form, ctx) => {
  const problem = confirmProblem(form);
  if (problem) ctx.addIssue({ code: 'custom', path: ['confirm'], message: problem });
});

export const FormConfig = FormConfigInput.extend({
  id: z.string(),
  projectId: z.string(),
});
export type FormConfig = z.infer<typeof FormConfig>;

/** What `/config` gives the snippet: everything it needs, nothing secret. */
export const PublicFormConfig = FormConfig.omit({ projectId: true });
export type PublicFormConfig = z.infer<typeof PublicFormConfig>;

export const SiteConfig = z.object({
  forms: z.array(PublicFormConfig),
  settings: z.object({
    /** Seconds the browser may keep this config before asking again. */
    configTtl: z.number().int(),
    /** false: the project asks for no cookies and no visit registration (README "Privacy"). */
    cookies: z.boolean().optional(),
  }),
});
export type SiteConfig = z.infer<typeof SiteConfig>;
