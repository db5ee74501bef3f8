// The project every measurement uses: a few forms (so the config endpoint serves a realistic body)
// and an enabled webhook integration (so an ingested lead writes its delivery job too, as in
// production). Shared by the collector child and the in-process delivery bench.
import type { FormConfigInput } from '../shared/form-config.ts';
import type { Store } from '../collector/src/store/types.ts';

export const BENCH_FORM_SELECTOR = '#lead-form';
export const WEBHOOK_SECRET = 'bench-webhook-secret';

export interface BenchProject {
  projectId: string;
  key: string;
  formId: string;
}

const leadForm: FormConfigInput = {
  title: 'Bench request from {landingPage}',
  trigger: 'submit',
  selector: BENCH_FORM_SELECTOR,
  fields: {
    name: { source: 'field', value: 'name', required: false },
    phone: { source: 'field', value: 'phone', required: true },
    email: { source: 'field', value: 'email', required: false },
    comment: { source: 'field', value: 'comment', required: false },
  },
  extraFields: [
    { key: 'utm_source', source: 'static', value: '{utmSource}', required: false },
    { key: 'budget', source: 'field', value: 'budget', required: false },
  ],
};

/** Uses `projectId` when given (a pre-filled database), else creates the project; adds forms and the integration once. */
export async function ensureBenchProject(store: Store, webhookUrl: string, projectId?: string): Promise<BenchProject> {
  const now = Date.now();
  const project = projectId ? await store.getProject(projectId) : await store.createProject('bench', now);
  if (!project) throw new Error(`project ${projectId} is not in the database`);
  let forms = await store.listForms(project.id);
  if (forms.length === 0) {
    await store.createForm(project.id, leadForm, now);
    await store.createForm(project.id, { ...leadForm, title: 'Callback', selector: '.callback form', trigger: 'submit' }, now);
    await store.createForm(project.id, { ...leadForm, title: 'Quiz', selector: '#quiz button.send', trigger: 'click' }, now);
    forms = await store.listForms(project.id);
  }
  await store.putIntegration(project.id, { type: 'webhook', enabled: true, settings: { url: webhookUrl, secret: WEBHOOK_SECRET } }, now);
  return { projectId: project.id, key: project.key, formId: forms[0]!.id };
}
